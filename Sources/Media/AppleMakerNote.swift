/// The two identifiers stacks need from the maker note Apple's cameras write ("Apple iOS", a big-endian IFD whose
/// offsets count from the note's start): exiv2 0.27 does not decode it, and hands it over as its bytes.
struct AppleMakerNote {
    /// Tag 0x0011, the content identifier the Live Photo's video carries too (exiftool's MediaGroupUUID).
    var contentIdentifier: String?
    /// Tag 0x000b, shared by every frame of one burst.
    var burstIdentifier: String?

    /// - Parameter text: exiv2's text of `Exif.Photo.MakerNote`, one decimal number per byte.
    init?(exiv2Text text: String) {
        // Only an Apple note is worth turning into bytes: "Apple iOS" as exiv2 writes it.
        guard text.hasPrefix("65 112 112 108 101 32 105 79 83 ") else { return nil }
        let bytes = text.split(separator: " ").compactMap { UInt8($0) }
        self.init(bytes: bytes)
    }

    init?(bytes: [UInt8]) {
        guard bytes.count >= 16, bytes[12] == 0x4D, bytes[13] == 0x4D else { return nil }
        func word(_ at: Int) -> Int? { at + 2 <= bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        func long(_ at: Int) -> Int? { at + 4 <= bytes.count ? bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } : nil }
        guard let entries = word(14) else { return nil }
        for entry in 0..<entries {
            let at = 16 + entry * 12
            // ASCII values only: anything else under these tags is not an identifier.
            guard let tag = word(at), let type = word(at + 2), let count = long(at + 4), type == 2 else { continue }
            guard tag == 0x0011 || tag == 0x000B, count > 0, count <= 256 else { continue }
            let start = count <= 4 ? at + 8 : (long(at + 8) ?? bytes.count)
            guard start + count <= bytes.count else { continue }
            let value = String(decoding: bytes[start..<start + count].prefix { $0 != 0 }, as: UTF8.self).trimmed
            guard !value.isEmpty else { continue }
            if tag == 0x0011 { contentIdentifier = value } else { burstIdentifier = value }
        }
    }
}
