import CShims
import Foundation

/// `--fix-dates`: the date organise chose, written into a JPEG's EXIF where the camera wrote none.
enum DateFixing {
    /// Adds DateTimeOriginal and DateTimeDigitized (exiftool's CreateDate), and their offsets when known, to the
    /// EXIF block through exiv2; a tag the photo already has is left as it is, and no other segment is touched.
    static func write(_ date: CaptureDate, into path: String) throws(OrganiseError) {
        let stamp = String(format: "%04d:%02d:%02d %02d:%02d:%02d", date.year, date.month, date.day, date.hour, date.minute, date.second)
        // EXIF writes UTC as "+00:00"; it has no "Z".
        let offset = date.offset.map { $0 == "Z" ? "+00:00" : $0 }
        let photo = try JPEGExif(path: path)
        let old = photo.block
        var result: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = old.withUnsafeBufferPointer { tiff in
            message.withUnsafeMutableBufferPointer { text in
                vf_exiv2_exif_with_capture_date(old.isEmpty ? nil : tiff.baseAddress, tiff.count, stamp, offset, &result, &length,
                                                text.baseAddress, text.count)
            }
        }
        guard status == 0, let result else { throw OrganiseError("exiv2 could not add the date to \(path): \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))") }
        defer { free(result) }
        try JPEGExif.write(try photo.replacing(with: Array(UnsafeBufferPointer(start: result, count: length))), over: path)
    }
}
