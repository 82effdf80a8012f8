import Foundation
import Media

/// The photo page's table of every EXIF value exiv2 reads from the file, except maker notes' opaque blobs.
enum ExifTable {
    /// Bytes of the file given to exiv2 at most: EXIF sits in the first segments of a JPEG (64 KiB each) and in
    /// the first IFDs of TIFF-based raws and HEIF's meta box, while an original may be a 1 GiB panorama or
    /// video that a page view must not read whole.
    static let byteLimit = 4 << 20

    /// Blocking: call it off the cooperative pool.
    static func read(_ path: String, byteLimit: Int = ExifTable.byteLimit) -> [[String]] {
        guard let file = PlainFile(path), let head = try? file.read(at: 0, count: Int(min(file.size, Int64(byteLimit)))),
              let raw = try? MetadataReader.read(head) else { return [] }
        return raw.values.filter { key, values in
            key.hasPrefix("Exif.") && !key.contains("MakerNote") && (values.first?.count ?? 0) <= 200
        }.sorted { $0.key < $1.key }.map { [String($0.key.dropFirst(5)), $0.value.joined(separator: ", ")] }
    }
}
