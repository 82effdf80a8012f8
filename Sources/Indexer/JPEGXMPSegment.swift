import ViewfinderCore

/// Replaces a JPEG's XMP segment and copies every other byte as it was: the Exif block, maker notes, their
/// previews, IPTC, ICC and the scan data cannot change, because they are never re-encoded.
enum JPEGXMPSegment {
    static let signature = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    /// A segment's length field counts itself; 65,535 is the most it holds.
    static let largestPacket = 65_535 - 2 - signature.count

    static func isJPEG(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xFF, 0xD8, 0xFF]) }

    /// The photo with `packet` as its only XMP segment, placed after JFIF and Exif as writers conventionally do.
    static func replacing(in bytes: [UInt8], with packet: [UInt8]) throws(IndexProblem) -> [UInt8] {
        guard packet.count <= largestPacket else {
            throw IndexProblem(.writeBack, "the XMP (\(packet.count) bytes) does not fit one JPEG segment")
        }
        let length = 2 + signature.count + packet.count
        let segment = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + signature + packet
        var result = Array(bytes[0..<2])
        result.reserveCapacity(bytes.count + segment.count)
        var offset = 2
        var placed = false
        while true {
            guard offset + 4 <= bytes.count, bytes[offset] == 0xFF else {
                throw IndexProblem(.writeBack, "unexpected bytes between JPEG segments at offset \(offset)")
            }
            let marker = bytes[offset + 1]
            // Start of scan, or any marker without a length: everything from here on is copied as it is.
            if marker == 0xDA || !(0xC0...0xFE).contains(marker) || (0xD0...0xD9).contains(marker) { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            // The length counts its own two bytes: less is a damaged file, not a segment.
            guard length >= 2 else { throw IndexProblem(.writeBack, "a JPEG segment at offset \(offset) has length \(length)") }
            let end = offset + 2 + length
            guard end <= bytes.count else { throw IndexProblem(.writeBack, "a JPEG segment runs past the end of the file") }
            let body = bytes[(offset + 4)..<end]
            if marker == 0xE1, body.starts(with: signature) {
                offset = end  // the old packet; the new one takes its place
                continue
            }
            let leading = marker == 0xE0 || (marker == 0xE1 && body.starts(with: Array("Exif\0".utf8)))
            if !placed, !leading {
                result += segment
                placed = true
            }
            result += bytes[offset..<end]
            offset = end
        }
        if !placed { result += segment }
        return result + bytes[offset...]
    }
}
