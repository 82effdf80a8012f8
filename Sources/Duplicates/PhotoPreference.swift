import Catalogue
import ViewfinderCore

/// Which of two copies of a picture to keep: the most pixels, then a format cameras write over one copies are
/// re-encoded into, then the most metadata, then the larger file (less compressed), then the older, then by path.
enum PhotoPreference {
    static func better(_ a: PhotoRecord, _ b: PhotoRecord) -> Bool {
        if a.width * a.height != b.width * b.height { return a.width * a.height > b.width * b.height }
        if formatRank(a) != formatRank(b) { return formatRank(a) > formatRank(b) }
        if metadataCount(a) != metadataCount(b) { return metadataCount(a) > metadataCount(b) }
        if a.fileSize != b.fileSize { return a.fileSize > b.fileSize }
        if a.modifiedAt != b.modifiedAt { return a.modifiedAt < b.modifiedAt }
        return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
    }

    /// Cameras and phones write RAW, JPEG, HEIC and TIFF; PNG, WebP and GIF are what copies get re-encoded into.
    static func formatRank(_ photo: PhotoRecord) -> Int {
        switch MediaFormat(rawValue: photo.format) {
        case .raw: 3
        case .jpeg, .mpo, .heic, .tiff: 2
        case .avif, .jpeg2000: 1
        default: 0
        }
    }

    /// How many things the file says about the photo beyond its pixels.
    static func metadataCount(_ photo: PhotoRecord) -> Int {
        let fields: [Any?] = [photo.taken, photo.make, photo.model, photo.lens, photo.focalLength, photo.fNumber,
                              photo.exposureTime, photo.iso, photo.lat, photo.rating, photo.description, photo.regions]
        return fields.filter { $0 != nil }.count + (photo.keywords == "[]" ? 0 : 1)
    }
}
