/// The segments of a JPEG before its scan data, found one way for every writer: stray bytes between segments, a
/// length under two or a segment past the end are damage, refused rather than guessed around, so no writer can miss
/// a block that is there and add a second one.
public struct JPEGHeader {
    public struct Segment {
        public let marker: UInt8
        /// The whole segment: fill bytes before its marker, the marker and length included.
        public let bytes: Range<Int>
        /// What follows the length field.
        public let body: Range<Int>
    }

    public struct Damage: Error {
        public let reason: String
    }

    public let segments: [Segment]
    /// Where the scan (or the first marker without a length) starts: everything from here on is image data.
    public let scan: Int

    public static func isJPEG(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xFF, 0xD8, 0xFF]) }

    public init(_ bytes: [UInt8]) throws(Damage) {
        guard Self.isJPEG(bytes) else { throw Damage(reason: "not a JPEG") }
        var segments = [Segment]()
        var offset = 2
        while true {
            guard offset + 4 <= bytes.count, bytes[offset] == 0xFF else {
                throw Damage(reason: "unexpected bytes between JPEG segments at offset \(offset)")
            }
            let start = offset
            // A marker may follow any number of 0xFF fill bytes (ITU T.81, B.1.1.2).
            while offset + 5 <= bytes.count, bytes[offset + 1] == 0xFF { offset += 1 }
            let marker = bytes[offset + 1]
            if marker == 0xDA || !(0xC0...0xFE).contains(marker) || (0xD0...0xD9).contains(marker) {
                offset = start
                break
            }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            // The length counts its own two bytes: less is a damaged file, not a segment.
            guard length >= 2 else { throw Damage(reason: "a JPEG segment at offset \(offset) has length \(length)") }
            let end = offset + 2 + length
            guard end <= bytes.count else { throw Damage(reason: "a JPEG segment at offset \(offset) runs past the end of the file") }
            segments.append(Segment(marker: marker, bytes: start..<end, body: (offset + 4)..<end))
            offset = end
        }
        self.segments = segments
        scan = offset
    }
}
