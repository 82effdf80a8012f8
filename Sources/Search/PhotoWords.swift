import Foundation

/// One photo's words as the index weighs them: each distinct folded word once, with its weight (its best field,
/// 0.25 more for each further field) and the fields it is in. `TextIndex.weigh` fills it; the bulk build keeps
/// one from photo to photo, so its buffers are reused.
struct PhotoWords {
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

    /// A text's words: ASCII (nearly all text) byte by byte, anything else through Foundation's folding.
    mutating func add(_ text: String, _ field: SearchField, score: Float = 1) {
        guard !text.isEmpty else { return }
        var text = text
        let ascii = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
            add(asciiText: utf8, field, score: score)
            return true
        }
        if !ascii {
            for word in Folding.words(text) { add(word: word, field, score: score) }
        }
    }

    mutating func add(asciiText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float = 1) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { folded in
            Folding.forEachASCIIWord(text, folded: folded) { add(ascii: $0, field, score: score) }
        }
    }

    private mutating func add(word: String, _ field: SearchField, score: Float) {
        var word = word
        let ascii = word.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
            add(ascii: utf8, field, score: score)
            return true
        }
        guard !ascii, TextIndex.indexable(word, field) else { return }
        let hash = UInt64(UInt(bitPattern: word.hashValue))
        let (found, slot) = probe(hash) { unicode[$0] == word }
        if let found { merge(found, field, score) } else {
            bytes.append(contentsOf: word.utf8)
            unicode.append(word)
            append(hash, slot, field, score)
        }
    }

    private mutating func add(ascii word: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float) {
        let hash = WordHash.of(word)
        guard TextIndex.indexable(ascii: word, hash: hash, field) else { return }
        let (found, slot) = probe(hash) { unicode[$0] == nil && WordHash.equal(bytes, starts[$0]..<starts[$0 + 1], word) }
        if let found { merge(found, field, score) } else {
            bytes.append(contentsOf: word)
            unicode.append(nil)
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

    /// The rule the index has always had: the best field's weight, 0.25 more when the word is in a further field.
    private mutating func merge(_ index: Int, _ field: SearchField, _ score: Float) {
        let merged = fields[index] | field.bit
        weights[index] = max(weights[index], field.weight * score) + (merged == fields[index] ? 0 : 0.25)
        fields[index] = merged
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
        let base = UnsafeRawPointer(word.baseAddress!)
        var hash = UInt64(word.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= word.count {
            hash = mix(hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < word.count {
            var tail: UInt64 = 0
            for index in offset..<word.count { tail |= UInt64(word[index]) << (8 * UInt64(index - offset)) }
            hash = mix(hash ^ tail)
        }
        return hash ^ hash >> 29
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0xBF58_476D_1CE4_E5B9
        return (product ^ product >> 31) &* 0x94D0_49BB_1331_11EB
    }

    static func equal(_ arena: [UInt8], _ range: Range<Int>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        range.count == word.count && arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, word.baseAddress!, word.count) == 0 }
    }
}
