import Foundation

/// One photo's words as the index weighs them: each distinct folded word once, with its weight (its best field,
/// 0.25 more for each further field) and the fields it is in. `TextIndex.weigh` fills it for a photo added to a
/// built index.
struct PhotoWords: WordCollector {
    /// The words' bytes back to back: word i is `bytes[starts[i]..<starts[i + 1]]`.
    private(set) var bytes = [UInt8]()
    private(set) var starts = [0]
    private(set) var hashes = [UInt64]()
    /// Words beyond ASCII as Strings: those are told apart as Strings are (canonical equivalence), as always.
    private(set) var unicode = [String?]()
    private(set) var weights = [Float]()
    private(set) var fields = [UInt8]()
    /// Open addressing by hash: word number + 1, 0 when free.
    private var slots = [Int32](repeating: 0, count: 64)
    private var usedSlots = [Int]()

    var count: Int { weights.count }

    /// Word `index` as text.
    func word(_ index: Int) -> String {
        unicode[index] ?? String(decoding: bytes[starts[index]..<starts[index + 1]], as: UTF8.self)
    }

    mutating func removeAll() {
        for slot in usedSlots { slots[slot] = 0 }
        usedSlots.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        hashes.removeAll(keepingCapacity: true)
        unicode.removeAll(keepingCapacity: true)
        weights.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
    }

    mutating func add(ascii word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ field: SearchField, score: Float) {
        let (found, slot) = probe(hash) { unicode[$0] == nil && WordHash.equal(bytes, starts[$0]..<starts[$0 + 1], word) }
        if let found { merge(found, field, score) } else {
            bytes.append(contentsOf: word)
            unicode.append(nil)
            append(hash, slot, field, score)
        }
    }

    mutating func add(unicode word: String, _ field: SearchField, score: Float) {
        let hash = UInt64(UInt(bitPattern: word.hashValue))
        let (found, slot) = probe(hash) { unicode[$0] == word }
        if let found { merge(found, field, score) } else {
            bytes.append(contentsOf: word.utf8)
            unicode.append(word)
            append(hash, slot, field, score)
        }
    }

    @inline(__always)
    private func probe(_ hash: UInt64, _ same: (Int) -> Bool) -> (found: Int?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if hashes[index] == hash && same(index) { return (index, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    private mutating func merge(_ index: Int, _ field: SearchField, _ score: Float) {
        SearchField.merge(field, score, into: &weights[index], &fields[index])
    }

    private mutating func append(_ hash: UInt64, _ slot: Int, _ field: SearchField, _ score: Float) {
        starts.append(bytes.count)
        hashes.append(hash)
        weights.append(field.weight * score)
        fields.append(field.bit)
        slots[slot] = Int32(hashes.count)
        usedSlots.append(slot)
        if hashes.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        usedSlots.removeAll(keepingCapacity: true)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
            usedSlots.append(slot)
        }
    }
}

/// A word's bytes hashed (64-bit multiply-xorshift over 8 bytes at a time): the vocabulary's key.
enum WordHash {
    static func of(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let start = word.baseAddress else { return 0 }
        var (hash, offset) = wholeWords(UnsafeRawPointer(start), word.count)
        if offset < word.count {
            var tail: UInt64 = 0
            for index in offset..<word.count { tail |= UInt64(word[index]) << (8 * UInt64(index - offset)) }
            hash = mix(hash ^ tail)
        }
        return hash ^ hash >> 29
    }

    /// The same hash of a word followed by at least seven bytes that may be read: its last bytes taken in one load
    /// and masked, not byte by byte (most words are shorter than eight bytes).
    static func of(padded word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let start = word.baseAddress else { return 0 }
        var (hash, offset) = wholeWords(UnsafeRawPointer(start), word.count)
        let rest = word.count - offset
        if rest > 0 {
            let tail = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = mix(hash ^ tail & UInt64.max >> (64 - 8 * UInt64(rest)))
        }
        return hash ^ hash >> 29
    }

    /// The hash over a word's whole 8-byte words, and where its tail starts.
    @inline(__always)
    private static func wholeWords(_ base: UnsafeRawPointer, _ count: Int) -> (hash: UInt64, tail: Int) {
        var hash = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= count {
            hash = mix(hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        return (hash, offset)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0xBF58_476D_1CE4_E5B9
        return (product ^ product >> 31) &* 0x94D0_49BB_1331_11EB
    }

    /// Compared here, eight bytes at a time: words are short, and a call to `memcmp` cost more than comparing.
    static func equal(_ arena: [UInt8], _ range: Range<Int>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count == word.count else { return false }
        // The loads below are not checked: a caller's range outside the arena traps here in tests.
        assert(range.lowerBound >= 0 && range.upperBound <= arena.count)
        guard !word.isEmpty else { return true }
        return arena.withUnsafeBufferPointer { arena in
            var (known, given) = (UnsafeRawPointer(arena.baseAddress! + range.lowerBound), UnsafeRawPointer(word.baseAddress!))
            var left = word.count
            while left >= 8 {
                guard known.loadUnaligned(as: UInt64.self) == given.loadUnaligned(as: UInt64.self) else { return false }
                (known, given, left) = (known + 8, given + 8, left - 8)
            }
            while left > 0 {
                guard known.load(as: UInt8.self) == given.load(as: UInt8.self) else { return false }
                (known, given, left) = (known + 1, given + 1, left - 1)
            }
            return true
        }
    }
}
