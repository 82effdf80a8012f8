import Foundation

/// Distinct words of many photos, numbered as first seen: their bytes in one arena, found through an
/// open-addressing table by hash (a String and a dictionary lookup per word were most of the old build).
struct WordNumbers {
    /// Word i is `bytes[starts[i]..<starts[i + 1]]`.
    private(set) var bytes = [UInt8]()
    private(set) var starts = [0]
    private(set) var hashes = [UInt64]()
    /// Words beyond ASCII as Strings (compared as Strings, as they always were).
    private(set) var unicode = [String?]()
    /// The table of words by hash; a power of two, at most half full. A slot holds a word's whole hash and, for an
    /// ASCII word, its length, so a probe that meets another word is told without reading the arena (a miss or two);
    /// for an ASCII word of more than eight bytes, the hash's top bits and where the word starts in the arena, so the
    /// word is compared without reading `starts` first (a folder's path: three misses a lookup, now two).
    private var slots: [Slot]

    init(capacity: Int = 1 << 12) { slots = [Slot](repeating: Slot(), count: capacity) }

    var count: Int { hashes.count }

    func word(_ index: Int) -> String {
        unicode[index] ?? String(decoding: bytes[starts[index]..<starts[index + 1]], as: UTF8.self)
    }

    /// The number another half's word `index` has here, given one if it is new.
    mutating func number(of other: WordNumbers, _ index: Int) -> Int32 {
        other.bytes.withUnsafeBufferPointer { arena in
            number(UnsafeBufferPointer(rebasing: arena[other.starts[index]..<other.starts[index + 1]]), other.hashes[index],
                   other.unicode[index])
        }
    }

    /// A word's number by its bytes and `WordHash` (text: the word as a String, when it is beyond ASCII).
    mutating func number(_ word: UnsafeBufferPointer<UInt8>, _ hash: UInt64, _ text: String?) -> Int32 {
        let mask = slots.count - 1
        let kind = Slot.kind(word.count, unicode: text != nil)
        // Below `longest`, ASCII words of one kind are as long, so the slot's start is all a compare needs (`slot`).
        let long = Slot.isLong(word.count, unicode: text != nil)
        let key = long ? hash & ~Slot.startBits : hash
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].number != 0 {
            let found = slots[slot]
            if found.kind == kind, (long ? found.hash & ~Slot.startBits : found.hash) == key {
                let index = Int(found.number) - 1
                let start = Int(found.hash & Slot.startBits)
                // Among words of one length, the hash of up to eight bytes is a one-to-one function of the bytes.
                if text != nil ? unicode[index] == text
                    : word.count <= 8
                    || WordHash.equal(bytes, long ? start..<start + word.count : starts[index]..<starts[index + 1], word) {
                    return Int32(index)
                }
            }
            slot = (slot + 1) & mask
        }
        // Where the word will start: below 2⁴⁰, as no arena in memory reaches a terabyte.
        precondition(bytes.count <= Slot.startBits, "a vocabulary of a terabyte")
        slots[slot] = Self.slot(hash, number: hashes.count, start: bytes.count, count: word.count, unicode: text != nil)
        bytes.append(contentsOf: word)
        starts.append(bytes.count)
        hashes.append(hash)
        unicode.append(text)
        if hashes.count * 2 > slots.count { grow() }
        return Int32(hashes.count - 1)
    }

    /// Word `number`'s slot: a long ASCII word's keeps the hash's top bits over where it starts.
    private static func slot(_ hash: UInt64, number: Int, start: Int, count: Int, unicode: Bool) -> Slot {
        Slot(hash: Slot.isLong(count, unicode: unicode) ? hash & ~Slot.startBits | UInt64(start) : hash,
             number: UInt32(number + 1), kind: Slot.kind(count, unicode: unicode))
    }

    /// Twice the slots, every word placed again in the order they were numbered (its hash, start and length read
    /// in order, not where each old slot points).
    private mutating func grow() {
        slots = [Slot](repeating: Slot(), count: slots.count * 2)
        let mask = slots.count - 1
        for number in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[number]) & mask
            while slots[slot].number != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.slot(hashes[number], number: number, start: starts[number], count: starts[number + 1] - starts[number],
                                    unicode: unicode[number] != nil)
        }
    }

    private struct Slot {
        /// The word's hash; for an ASCII word of more than eight bytes, its top 24 bits over where it starts.
        var hash: UInt64 = 0
        /// Word number + 1; 0 when free.
        var number: UInt32 = 0
        var kind: UInt32 = 0

        /// An ASCII word's byte count (any from `longest` on as one), times two; 1 for any word beyond ASCII, which
        /// never equals an ASCII one here and may equal a word of another byte count (canonically equivalent Strings:
        /// "é" and "e\u{301}").
        static func kind(_ count: Int, unicode: Bool) -> UInt32 {
            unicode ? 1 : UInt32(min(count, longest)) << 1
        }

        /// An ASCII word of more than eight bytes (the hash no longer tells it) below `longest` (its kind still tells
        /// its length): its slot keeps where it starts, and a compare needs nothing else.
        static func isLong(_ count: Int, unicode: Bool) -> Bool { !unicode && count > 8 && count < longest }

        /// From this many bytes on, an ASCII word's kind does not tell its length.
        static let longest = 1 << 30

        /// The bits of a long word's slot hash that hold where it starts.
        static let startBits: UInt64 = (1 << 40) - 1
    }
}
