import Search
import ViewfinderCore

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
        others[row] ?? ContentHash(digest: digests[(row * Self.width)..<((row + 1) * Self.width)]).hex
    }

    mutating func append(_ hash: String) {
        if let digest = ContentHash(hex: hash).digest, digest.count == Self.width {
            digests += digest
        } else {
            others[count] = hash
            digests += repeatElement(0, count: Self.width)
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
