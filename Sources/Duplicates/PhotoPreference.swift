import Catalogue
import ViewfinderCore

/// Which of two copies of a picture to keep: the most pixels, then a camera's own file (a format cameras write,
/// with the camera named), then a lossless one, over a lossy re-encode, then the most metadata, then the older file
/// (copies are made later), then the larger (less compressed), then by path.
enum PhotoPreference {
    static func better(_ a: PhotoRecord, _ b: PhotoRecord) -> Bool {
        if a.width * a.height != b.width * b.height { return a.width * a.height > b.width * b.height }
        if original(a) != original(b) { return original(a) > original(b) }
        if metadataCount(a) != metadataCount(b) { return metadataCount(a) > metadataCount(b) }
        if a.modifiedAt != b.modifiedAt { return a.modifiedAt < b.modifiedAt }
        if a.fileSize != b.fileSize { return a.fileSize > b.fileSize }
        return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
    }

    /// 2 for RAW, JPEG, HEIC or TIFF naming a camera (a PNG or WebP is a re-encode, even with the camera's EXIF);
    /// 1 for a lossless file (PNG, TIFF), which a lossy copy of it only loses from; 0 for the rest.
    static func original(_ photo: PhotoRecord) -> Int {
        let format = MediaFormat(rawValue: photo.format)
        if photo.make != nil || photo.model != nil, [.raw, .jpeg, .mpo, .heic, .tiff].contains(format) { return 2 }
        return format == .png || format == .tiff ? 1 : 0
    }

    /// How many things the file says about the photo beyond its pixels.
    static func metadataCount(_ photo: PhotoRecord) -> Int {
        let fields: [Any?] = [photo.taken, photo.make, photo.model, photo.lens, photo.focalLength, photo.fNumber,
                              photo.exposureTime, photo.iso, photo.lat, photo.rating, photo.description, photo.regions]
        return fields.filter { $0 != nil }.count + (photo.keywords == "[]" ? 0 : 1)
    }
}
