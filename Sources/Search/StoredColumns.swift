/// Strings kept as one byte buffer and an end offset per photo: no object per photo, so a saved engine loads by
/// copying two arrays; a String is made only when one is read.
public struct TextColumn: Sendable {
    public internal(set) var bytes: [UInt8] = []
    public internal(set) var ends: [Int] = []

    public init() {}

    public init(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { ends.count }

    public subscript(_ row: Int) -> String {
        let start = row == 0 ? 0 : ends[row - 1]
        return String(decoding: bytes[start..<ends[row]], as: UTF8.self)
    }

    public mutating func append(_ value: String) {
        bytes += value.utf8
        ends.append(bytes.count)
    }

    public var isWhole: Bool { zip([0] + ends, ends).allSatisfy { $0 <= $1 } && (ends.last ?? 0) == bytes.count }
}

/// Values many photos share (cameras, places, folders, formats) kept once, with a number per photo.
public struct CodedColumn: Sendable {
    public internal(set) var names: [String] = []
    public internal(set) var codes: [UInt32] = []
    var numbers: [String: UInt32] = [:]

    public var count: Int { codes.count }

    public subscript(_ row: Int) -> String { names[Int(codes[row])] }

    public mutating func append(_ value: String) {
        if let known = numbers[value] { return codes.append(known) }
        numbers[value] = UInt32(names.count)
        codes.append(UInt32(names.count))
        names.append(value)
    }

    public init() {}

    public init(names: [String], codes: [UInt32]) {
        self.names = names
        self.codes = codes
        numbers = Dictionary(names.enumerated().map { ($1, UInt32($0)) }) { first, _ in first }
    }

    public var isWhole: Bool { codes.allSatisfy { Int($0) < names.count } }
}

/// A few words per photo (its best labels), each kept once.
struct WordListColumn: Sendable {
    var words = CodedColumn()
    /// Photo n's words are `words.codes[starts[n]..<starts[n + 1]]`.
    var starts: [Int] = [0]

    subscript(_ row: Int) -> [String] { (starts[row]..<starts[row + 1]).map { words[$0] } }

    mutating func append(_ values: [String]) {
        for value in values { words.append(value) }
        starts.append(words.count)
    }

    var isWhole: Bool { words.isWhole && starts.first == 0 && starts.last == words.count && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 } }
}

extension SnapshotWriter {
    public mutating func column(_ name: String, _ column: TextColumn) throws {
        try array(name + ".bytes", column.bytes)
        try array(name + ".ends", column.ends)
    }

    public mutating func column(_ name: String, _ column: CodedColumn) throws {
        try strings(name + ".names", column.names)
        try array(name + ".codes", column.codes)
    }
}

extension SnapshotReader {
    public mutating func textColumn(_ name: String) throws -> TextColumn {
        TextColumn(bytes: try array(name + ".bytes"), ends: try array(name + ".ends"))
    }

    public mutating func codedColumn(_ name: String) throws -> CodedColumn {
        CodedColumn(names: try strings(name + ".names"), codes: try array(name + ".codes"))
    }
}
