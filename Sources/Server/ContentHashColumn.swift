import Search

/// Photos' content hashes, kept as the 32 bytes of a SHA-256 rather than its 64 hex digits and an end offset: at
/// a million photos that is 31 MiB instead of 69. A hash spelt any other way is kept as written, apart.
struct ContentHashColumn: Sendable {
    static let width = 32
    private(set) var digests: [UInt8] = []
    /// Rows whose hash is not 64 lowercase hex digits, and the hash as written.
    private(set) var others: [Int: String] = [:]

    init() {}

    var count: Int { digests.count / Self.width }

    subscript(_ row: Int) -> String {
        if let other = others[row] { return other }
        let digits = Array("0123456789abcdef".utf8)
        let start = row * Self.width
        return String(unsafeUninitializedCapacity: Self.width * 2) { text in
            for i in 0..<Self.width {
                let byte = digests[start + i]
                text[2 * i] = digits[Int(byte >> 4)]
                text[2 * i + 1] = digits[Int(byte & 15)]
            }
            return Self.width * 2
        }
    }

    mutating func append(_ hash: String) {
        let row = count
        let utf8 = Array(hash.utf8)
        var digest = [UInt8]()
        if utf8.count == Self.width * 2 {
            for i in stride(from: 0, to: utf8.count, by: 2) {
                guard let high = Self.value(utf8[i]), let low = Self.value(utf8[i + 1]) else { break }
                digest.append(high << 4 | low)
            }
        }
        if digest.count == Self.width {
            digests += digest
        } else {
            digests += repeatElement(0, count: Self.width)
            others[row] = hash
        }
    }

    /// A lowercase hex digit's value (uppercase would not read back as written).
    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    func save(_ file: inout SnapshotWriter, _ name: String) throws {
        let rows = others.keys.sorted()
        var spelt = TextColumn()
        for row in rows { spelt.append(others[row]!) }
        try file.array(name + ".digests", digests)
        try file.array(name + ".otherRows", rows)
        try file.column(name + ".others", spelt)
    }

    init(_ file: inout SnapshotReader, _ name: String) throws {
        digests = try file.array(name + ".digests")
        let rows = try file.array(name + ".otherRows", of: Int.self)
        let spelt = try file.textColumn(name + ".others")
        guard digests.count % Self.width == 0, spelt.isWhole, spelt.count == rows.count,
              zip(rows, rows.dropFirst()).allSatisfy({ $0 < $1 }), rows.allSatisfy({ $0 >= 0 && $0 < digests.count / Self.width }) else {
            throw SnapshotError(description: "the saved content hashes are damaged")
        }
        others = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, spelt[$0]) })
    }
}
