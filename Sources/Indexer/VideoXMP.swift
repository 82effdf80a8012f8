import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// The XMP packet editors write into an MP4 (a top-level `uuid` box) or a MOV (`moov/udta/XMP_`), found by reading
/// box headers only: a film's gigabytes of frames are stepped over, never read.
enum VideoXMP {
    /// XMP's UUID in ISO base media files: BE7ACFCB-97A9-42E8-9C71-999491E3AFAC.
    static let uuid: [UInt8] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC]
    /// Larger than any real packet; a box claiming more is damage.
    static let maxPacket = 16 << 20

    /// The packet's bytes, or nil when the file has none (or is not an ISO/QuickTime file).
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let file = Box.Reader(descriptor: descriptor)
        for box in file.boxes(in: 0..<Int64(info.st_size)) {
            if box.type == "uuid", let id = file.bytes(at: box.body.lowerBound, count: 16), id == uuid {
                return file.payload(box.body.lowerBound + 16..<box.body.upperBound)
            }
            if box.type == "moov" {
                for child in file.boxes(in: box.body) where child.type == "udta" {
                    for entry in file.boxes(in: child.body) where entry.type == "XMP_" { return file.payload(entry.body) }
                }
            }
        }
        return nil
    }

    struct Box {
        var type: String
        var body: Range<Int64>

        struct Reader {
            let descriptor: Int32

            func bytes(at offset: Int64, count: Int) -> [UInt8]? {
                var buffer = [UInt8](repeating: 0, count: count)
                let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
                return read == count ? buffer : nil
            }

            func payload(_ range: Range<Int64>) -> [UInt8]? {
                guard range.count > 0, range.count <= VideoXMP.maxPacket else { return nil }
                return bytes(at: range.lowerBound, count: Int(range.count))
            }

            /// The boxes one after another in `range`; stops at the first header that does not fit.
            func boxes(in range: Range<Int64>) -> [Box] {
                var found = [Box]()
                var offset = range.lowerBound
                while offset + 8 <= range.upperBound, found.count < 10_000, let header = bytes(at: offset, count: 8) {
                    var size = Int64(header[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                    var headerSize: Int64 = 8
                    if size == 1, let large = bytes(at: offset + 8, count: 8) {
                        size = Int64(bitPattern: large.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
                        headerSize = 16
                    } else if size == 0 {
                        size = range.upperBound - offset  // to the end
                    }
                    guard size >= headerSize, size <= range.upperBound - offset else { break }  // a hostile size must not overflow
                    found.append(Box(type: String(decoding: header[4..<8], as: UTF8.self), body: offset + headerSize..<offset + size))
                    offset += size
                }
                return found
            }
        }
    }
}
