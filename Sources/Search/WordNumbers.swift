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
    /// Word number + 1 in the low 32 bits (0 when free), the word's `tag` in the high; a power of two. A probe
    /// that meets another word is told by the tag, without reading that word's hash (a cache miss).
    private var slots: [UInt64]

    init(capacity: Int = 1 << 12) { slots = [UInt64](repeating: 0, count: capacity) }

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
        let tag = Self.tag(hash, unicode: text != nil)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if slots[slot] >> 32 == tag {
                let index = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1
                if text == nil ? WordHash.equal(bytes, starts[index]..<starts[index + 1], word) : unicode[index] == text {
                    return Int32(index)
                }
            }
            slot = (slot + 1) & mask
        }
        bytes.append(contentsOf: word)
        starts.append(bytes.count)
        hashes.append(hash)
        unicode.append(text)
        slots[slot] = tag << 32 | UInt64(hashes.count)
        if hashes.count * 2 > slots.count { grow() }
        return Int32(hashes.count - 1)
    }

    /// The hash's top 31 bits and whether the word is beyond ASCII (such a word never equals an ASCII one here).
    private static func tag(_ hash: UInt64, unicode: Bool) -> UInt64 { (hash >> 33) << 1 | (unicode ? 1 : 0) }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.tag(hash, unicode: unicode[index] != nil) << 32 | UInt64(index + 1)
        }
    }
}
