import Foundation

/// How text is compared: lower case, diacritics folded (Zürich = zurich), words split on anything that is not a
/// letter or digit. Queries and documents go through the same function.
public enum Folding {
    public static func fold(_ text: String) -> String {
        // ASCII has no diacritics or widths: lower case is the whole fold (Foundation's took most of a build).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
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

    /// `asciiWords` and `splitDigits` over bytes, without a String per word (the index build's hot path): each run
    /// of letters or of digits, lower-cased into `folded` (as long as `text`), goes to `body`.
    static func forEachASCIIWord(_ text: UnsafeBufferPointer<UInt8>, folded: UnsafeMutableBufferPointer<UInt8>,
                                 _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // 0: not part of a word, 1: letters, 2: digits.
        var start = 0, kind: UInt8 = 0
        for index in 0..<text.count {
            let byte = text[index]
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            let next: UInt8 = lower >= 97 && lower <= 122 ? 1 : lower >= 48 && lower <= 57 ? 2 : 0
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
