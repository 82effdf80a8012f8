import ViewfinderCore

/// Replaces a JPEG's XMP segment and copies every other byte as it was: the Exif block, maker notes, their
/// previews, IPTC, ICC and the scan data cannot change, because they are never re-encoded.
enum JPEGXMPSegment {
    static let signature = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    /// A segment's length field counts itself; 65,535 is the most it holds.
    static let largestPacket = 65_535 - 2 - signature.count

    /// The photo with `packet` as its only XMP segment, placed after JFIF and Exif as writers conventionally do.
    static func replacing(in bytes: [UInt8], with packet: [UInt8]) throws(IndexProblem) -> [UInt8] {
        guard packet.count <= largestPacket else {
            throw IndexProblem(.writeBack, "the XMP (\(packet.count) bytes) does not fit one JPEG segment")
        }
        let length = 2 + signature.count + packet.count
        let segment = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + signature + packet
        let header: JPEGHeader
        do throws(JPEGHeader.Damage) { header = try JPEGHeader(bytes) } catch { throw IndexProblem(.writeBack, error.reason) }
        var result = Array(bytes[0..<2])
        result.reserveCapacity(bytes.count + segment.count)
        var placed = false
        for part in header.segments {
            let body = bytes[part.body]
            if part.marker == 0xE1, body.starts(with: signature) { continue }  // the old packet; the new one takes its place
            let leading = part.marker == 0xE0 || (part.marker == 0xE1 && body.starts(with: Array("Exif\0".utf8)))
            if !placed, !leading {
                result += segment
                placed = true
            }
            result += bytes[part.bytes]
        }
        if !placed { result += segment }
        return result + bytes[header.scan...]
    }
}
