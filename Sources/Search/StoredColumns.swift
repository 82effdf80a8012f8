/// Strings kept as one byte buffer and an end offset per photo: no object per photo, so a saved engine loads by
/// copying arrays; a String is made only when one is read. Ends count from the start of their block of rows, in
/// 4 bytes instead of 8 (30 MiB at a million photos over the columns the server keeps).
public struct TextColumn: Sendable {
    /// Rows a block holds, and the longest value kept whole: a block's bytes stay below 2³¹, so its ends fit.
    static let blockRows = 2048
    static let longest = 1 << 20
    public internal(set) var bytes: [UInt8] = []
    /// Each row's end, counted from its block's start.
    public internal(set) var ends: [UInt32] = []
    /// Where each block of `blockRows` rows starts in `bytes`.
    public internal(set) var blockStarts: [Int] = []

    public init() {}

    public init(bytes: [UInt8], ends: [UInt32], blockStarts: [Int]) {
        self.bytes = bytes
        self.ends = ends
        self.blockStarts = blockStarts
    }

    public var count: Int { ends.count }

    /// Where row `row`'s bytes lie in `bytes`.
    @inline(__always)
    func range(_ row: Int) -> Range<Int> {
        let base = blockStarts[row / Self.blockRows]
        let start = row % Self.blockRows == 0 ? base : base + Int(ends[row - 1])
        return start..<base + Int(ends[row])
    }

    public subscript(_ row: Int) -> String { String(decoding: bytes[range(row)], as: UTF8.self) }

    public mutating func append(_ value: String) {
        value.withUTF8Bytes { append(bytes: $0) }
    }

    /// A value's bytes, cut at the last whole character within `longest` (a caption of a megabyte is not shown whole).
    mutating func append(bytes value: UnsafeBufferPointer<UInt8>) {
        var count = value.count
        if count > Self.longest {
            count = Self.longest
            while count > 0 && value[count] & 0xC0 == 0x80 { count -= 1 }
        }
        if ends.count % Self.blockRows == 0 { blockStarts.append(bytes.count) }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[..<count]))
        ends.append(UInt32(bytes.count - blockStarts[blockStarts.count - 1]))
    }

    mutating func append(contentsOf other: TextColumn) {
        // Ending on a block's end, the other's blocks line up with ours: its rows keep their ends, its blocks move.
        if count % Self.blockRows == 0 {
            let shift = bytes.count
            bytes += other.bytes
            ends += other.ends
            blockStarts += other.blockStarts.lazy.map { $0 + shift }
            return
        }
        other.bytes.withUnsafeBufferPointer { otherBytes in
            for row in 0..<other.count { append(bytes: UnsafeBufferPointer(rebasing: otherBytes[other.range(row)])) }
        }
    }

    /// `Folding.fold(value)` appended; ASCII and Latin letters (nearly every value) folded byte by byte, without a
    /// String.
    mutating func append(folding value: Substring) {
        if !value.withUTF8Bytes({ append(latinFolding: $0) }) { append(Folding.fold(String(value))) }
    }

    /// UTF-8 text that `Folding.foldLatin` folds, folded and appended, and true; false, with nothing appended, for
    /// other text.
    mutating func append(latinFolding utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, utf8.count)) { folded in
            guard let count = Folding.foldLatin(utf8, into: folded) else { return false }
            append(bytes: UnsafeBufferPointer(rebasing: folded[..<count]))
            return true
        }
    }

    /// Every block where the one before it ended, its ends in order, the last at the end of the bytes.
    public var isWhole: Bool {
        guard blockStarts.count == (count + Self.blockRows - 1) / Self.blockRows else { return false }
        var end = 0
        for (block, start) in blockStarts.enumerated() {
            guard start == end else { return false }
            let rows = ends[(block * Self.blockRows)..<min(count, (block + 1) * Self.blockRows)]
            guard zip([0] + rows, rows).allSatisfy({ $0 <= $1 }), let last = rows.last, start + Int(last) <= bytes.count else { return false }
            end = start + Int(last)
        }
        return end == bytes.count
    }
}

/// Values many photos share (cameras, places, folders, formats) kept once, with a number per photo.
public struct CodedColumn: Sendable {
    public internal(set) var names: [String] = []
    public internal(set) var codes: [UInt32] = []
    var numbers: [String: UInt32] = [:]
    /// ASCII values already seen, found by their bytes (a build appends millions: no String or SipHash each), and
    /// their codes. Only a shortcut: `numbers` holds every value, so a miss is decided there as before (a value
    /// beyond ASCII can equal an ASCII one: "\u{212A}" is "K").
    private var asciiSeen = WordNumbers(capacity: 64)
    private var asciiCodes: [UInt32] = []
    /// Whether every ASCII value seen is coded by its number there (true while no value beyond ASCII, joined or
    /// loaded took a code before one), so `asciiCodes` need not be read: a column of many values (folders) missed the
    /// cache there once a photo.
    private var asciiCodedInTurn = true

    public var count: Int { codes.count }

    public subscript(_ row: Int) -> String { names[Int(codes[row])] }

    /// An ASCII value (nearly every one) looked up by its bytes.
    public mutating func append(_ value: String) {
        let ascii = value.withUTF8Bytes { utf8 in
            guard Folding.isASCII(utf8) else { return false }
            append(ascii: utf8, hash: WordHash.of(utf8))
            return true
        }
        if !ascii { append(named: value) }
    }

    private mutating func append(named value: String) {
        codes.append(code(of: value))
    }

    /// A value's code, a new one if it is new.
    private mutating func code(of value: String) -> UInt32 {
        if let known = numbers[value] { return known }
        numbers[value] = UInt32(names.count)
        names.append(value)
        return UInt32(names.count - 1)
    }

    /// Another column's rows appended: its values in the order it coded them, so new ones are coded as appending
    /// each row would code them.
    mutating func append(contentsOf other: CodedColumn) {
        let recoded = other.names.map { code(of: $0) }
        codes += other.codes.lazy.map { recoded[Int($0)] }
    }

    /// `Folding.fold(value)` appended; ASCII and Latin letters folded byte by byte and looked up by their bytes.
    mutating func append(folding value: Substring) { appendFolded(value) }

    private mutating func appendFolded(_ value: some StringProtocol) {
        if !value.withUTF8Bytes({ append(latinFolding: $0) }) { append(named: Folding.fold(String(value))) }
    }

    /// UTF-8 text that `Folding.foldLatin` folds, folded and appended, and true; false, with nothing appended, for
    /// other text.
    mutating func append(latinFolding utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        // Seven bytes past the value, set, so its hash reads its tail in one load.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count + 7) { folded in
            guard let count = Folding.foldLatin(utf8, into: folded) else { return false }
            (folded.baseAddress! + count).initialize(repeating: 0, count: 7)
            let value = UnsafeBufferPointer(rebasing: folded[..<count])
            append(ascii: value, hash: WordHash.of(padded: value))
            return true
        }
    }

    mutating func append(folding value: String?) {
        guard let value else {
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            return append(ascii: empty, hash: WordHash.of(empty))
        }
        // The String itself, not a Substring of it (which retained its storage for each photo's value).
        appendFolded(value)
    }

    /// An ASCII value's code, from the shortcut when it has been seen; `hash`: its `WordHash`.
    private mutating func append(ascii value: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        let seen = asciiSeen.number(value, hash, nil)
        if Int(seen) < asciiCodes.count { return codes.append(asciiCodedInTurn ? UInt32(seen) : asciiCodes[Int(seen)]) }
        append(named: String(decoding: value, as: UTF8.self))
        asciiCodedInTurn = asciiCodedInTurn && codes[codes.count - 1] == UInt32(asciiCodes.count)
        asciiCodes.append(codes[codes.count - 1])
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

    mutating func append(contentsOf other: WordListColumn) {
        let offset = words.count
        words.append(contentsOf: other.words)
        starts += other.starts.dropFirst().lazy.map { $0 + offset }
    }

    /// Whether a label is among a photo's best, `taken` before it: the first eight scored at least 0.3.
    static func isBest(_ score: Float, taken: Int) -> Bool { score >= 0.3 && taken < 8 }

    /// A photo's best labels, folded.
    mutating func append(bestOf labels: [(name: String, score: Float)]) {
        var taken = 0
        for label in labels where Self.isBest(label.score, taken: taken) {
            words.append(folding: label.name[...])
            taken += 1
        }
        starts.append(words.count)
    }

    var isWhole: Bool { words.isWhole && starts.first == 0 && starts.last == words.count && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 } }
}

extension SnapshotWriter {
    public mutating func column(_ name: String, _ column: TextColumn) throws {
        try array(name + ".bytes", column.bytes)
        try array(name + ".ends", column.ends)
        try array(name + ".blocks", column.blockStarts)
    }

    public mutating func column(_ name: String, _ column: CodedColumn) throws {
        try strings(name + ".names", column.names)
        try array(name + ".codes", column.codes)
    }
}

extension SnapshotReader {
    public mutating func textColumn(_ name: String) throws -> TextColumn {
        TextColumn(bytes: try array(name + ".bytes"), ends: try array(name + ".ends"), blockStarts: try array(name + ".blocks"))
    }

    public mutating func codedColumn(_ name: String) throws -> CodedColumn {
        CodedColumn(names: try strings(name + ".names"), codes: try array(name + ".codes"))
    }
}
