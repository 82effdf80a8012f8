import Foundation

/// How text is compared: lower case, diacritics folded (Zürich = zurich), words split on anything that is not a
/// letter or digit. Queries and documents go through the same function.
public enum Folding {
    public static func fold(_ text: String) -> String {
        // ASCII has no diacritics or widths: lower case is the whole fold (Foundation's took most of a build).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        if let latin = text.withUTF8Bytes({ utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { folded in
                foldLatin(utf8, into: folded).map { String(decoding: folded[..<$0], as: UTF8.self) }
            }
        }) { return latin }
        return foundationFold(text)
    }

    private static func foundationFold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// A person's name as `person:` compares it: its folded words, one space apart ("Jean-Luc  Picard" is
    /// "jean luc picard").
    public static func name(_ text: String) -> String { words(text).joined(separator: " ") }

    /// The words of a text, folded; letters and digits that run together are separate words (DSCN0010 is
    /// "dscn" and "0010"), so camera file names are found by their letters and short numbers.
    public static func words(_ text: String) -> [String] {
        folded(text).flatMap(splitDigits)
    }

    static func splitDigits(_ word: String) -> [String] {
        let digitCount = word.utf8.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) }
        if digitCount == 0 || digitCount == word.utf8.count { return [word] }
        var parts = [String]()
        var current = ""
        var digits: Bool?
        for character in word {
            let isDigit = character.isASCII && character.isNumber
            if let digits, digits != isDigit {
                parts.append(current)
                current = ""
            }
            digits = isDigit
            current.append(character)
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    static func folded(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
        var words = [String]()
        var current = ""
        for scalar in fold(text).unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Foundation's fold of each precomposed Latin letter U+00C0–U+024F whose fold is one or two ASCII letters
    /// (é → e, ß → ss), by scalar; nil for the rest (ł, æ, ×). Taken from `fold` itself, once.
    private static let latinFolds: [(count: UInt8, first: UInt8, second: UInt8)?] = (0xC0...0x24F).map { value in
        guard let scalar = Unicode.Scalar(value) else { return nil }
        let folded = Array(foundationFold(String(scalar)).utf8)
        guard (1...2).contains(folded.count), folded.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return nil }
        return (UInt8(folded.count), folded[0], folded.last!)
    }

    /// `fold` of UTF-8 text made of ASCII and the letters of `latinFolds` (nearly all text beyond ASCII in a
    /// library), byte by byte into `folded` (as long as `text`): its length, or nil for any other text, which
    /// Foundation folds. Such text has no combining marks, so it folds letter by letter.
    static func foldLatin(_ text: UnsafeBufferPointer<UInt8>, into folded: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var index = 0, count = 0
        while index < text.count {
            // Eight ASCII bytes at a time: the bytes from A to Z get 0x20 (`count` never passes `index`, so they fit).
            if index + 8 <= text.count {
                let eight = UnsafeRawPointer(text.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if eight & highBits == 0 {
                    let upper = (eight &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(eight &+ 0x2525_2525_2525_2525) & highBits
                    UnsafeMutableRawPointer(folded.baseAddress! + count).storeBytes(of: eight | upper >> 2, as: UInt64.self)
                    (index, count) = (index + 8, count + 8)
                    continue
                }
            }
            let byte = text[index]
            if byte < 0x80 {
                folded[count] = byte >= 65 && byte <= 90 ? byte + 32 : byte
                (index, count) = (index + 1, count + 1)
                continue
            }
            // Two-byte sequences from U+00C0 (0xC3 0x80) to U+024F (0xC9 0x8F).
            guard byte >= 0xC3, byte <= 0xC9, index + 1 < text.count, text[index + 1] & 0xC0 == 0x80 else { return nil }
            let scalar = Int(byte & 0x1F) << 6 | Int(text[index + 1] & 0x3F)
            guard scalar <= 0x24F, let letters = latinFolds[scalar - 0xC0] else { return nil }
            folded[count] = letters.first
            if letters.count == 2 { folded[count + 1] = letters.second }
            (index, count) = (index + 2, count + Int(letters.count))
        }
        return count
    }

    /// The top bit of each of eight bytes: set in a byte beyond ASCII.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether every byte is ASCII, read eight at a time (a build asks it of every text of every photo).
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0, seen: UInt64 = 0
        while offset + 8 <= bytes.count {
            seen |= UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            offset += 8
        }
        while offset < bytes.count {
            seen |= UInt64(bytes[offset])
            offset += 1
        }
        return seen & highBits == 0
    }

    /// Whether `foldLatin` folds this text.
    static func isLatin(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { foldLatin(text, into: $0) != nil }
    }

    /// `asciiWords` and `splitDigits` over bytes, without a String per word (the index build's hot path): each run
    /// of letters or of digits, lower-cased into `folded` (as long as `text`), goes to `body`.
    static func forEachASCIIWord(_ text: UnsafeBufferPointer<UInt8>, folded: UnsafeMutableBufferPointer<UInt8>,
                                 _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // 0: not part of a word, 1: letters, 2: digits.
        var start = 0, kind: UInt8 = 0
        for index in 0..<text.count {
            // One wrapping compare a range (A-Z, then a-z, then 0-9), not two.
            let byte = text[index]
            let lower = byte &- 65 < 26 ? byte | 0x20 : byte
            let next: UInt8 = lower &- 97 < 26 ? 1 : byte &- 48 < 10 ? 2 : 0
            folded[index] = lower
            if next != kind {
                if kind != 0 { body(UnsafeBufferPointer(rebasing: folded[start..<index])) }
                (start, kind) = (index, next)
            }
        }
        if kind != 0 { body(UnsafeBufferPointer(rebasing: folded[start..<text.count])) }
    }

    /// Most text is ASCII: split and lower-case bytes without Foundation's folding (ten times faster).
    static func asciiWords(_ text: String) -> [String] {
        var words = [String]()
        var current = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            default:
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }
}
