import Foundation
@testable import Search
import XCTest

/// Latin letters are folded byte by byte from a table of Foundation's fold of each letter alone: in any text they
/// must fold as Foundation folds the whole text.
final class FoldingTests: XCTestCase {
    private func foundationFold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    func testEveryLetterFoldsAsFoundationFoldsTheWholeText() {
        for value in 0xA0...0x2FF {
            let letter = String(Unicode.Scalar(value)!)
            for text in [letter, "Ab\(letter)1", "\(letter)\(letter)X", "x \(letter)-Y", "\(letter)\u{301}", "ÉVORA \(letter)ß", "\(letter)ı"] {
                XCTAssertEqual(Folding.fold(text), foundationFold(text), "U+\(String(value, radix: 16)) in \(text)")
            }
        }
    }

    func testLibraryTextTakesTheByteWay() {
        for text in ["Montréal", "Malmö", "Reykjavík", "Gdańsk", "KRAKÓW", "Café Central", "Straße", "São Paulo", "Ñandú"] {
            var text = text
            let folded = text.withUTF8 { utf8 in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { folded in
                    Folding.foldLatin(utf8, into: folded).map { String(decoding: folded[..<$0], as: UTF8.self) }
                }
            }
            XCTAssertEqual(folded, foundationFold(text))
        }
        // Letters Foundation does not fold to ASCII, and combining marks, are left to Foundation.
        for text in ["Wrocław", "Cafe\u{301}", "Æsir", "東京"] {
            var text = text
            XCTAssertFalse(text.withUTF8(Folding.isLatin), text)
        }
    }

    /// The build's byte splitter finds the words `Folding.words` finds, for every ASCII byte between, before and
    /// after letters and digits.
    func testTheByteSplitterFindsFoldingsWords() {
        for byte in UInt8(0)..<0x80 {
            let character = String(UnicodeScalar(byte))
            for text in [character, "Ab\(character)9z", "\(character)IMG_0042\(character)", "x\(character)\(character)Y 2019-06", "GATE B12\(character)"] {
                var found = [String]()
                var text = text
                text.withUTF8 { utf8 in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { folded in
                        Folding.forEachASCIIWord(utf8, folded: folded) { found.append(String(decoding: $0, as: UTF8.self)) }
                    }
                }
                XCTAssertEqual(found, Folding.words(text), "byte \(byte) in \(text.debugDescription)")
            }
        }
    }
    /// ASCII folded eight bytes at a time is lower case byte by byte: every ASCII byte, at every place in and
    /// around an eight-byte read, with a Latin letter before or after the ASCII run.
    func testEightBytesAtATimeFoldAsOne() {
        for byte in UInt8(0)..<0x80 {
            for place in 0..<20 {
                for text in [Array(repeating: UInt8(ascii: "Q"), count: 20), Array("ÉQQQQQQQQQQQQQQQQQQQQ".utf8),
                             Array("QQQQQQQQQQQQQQQQQQQQé".utf8)] {
                    var text = text
                    let at = text.first == 0xC3 ? place + 2 : place
                    text[at] = byte
                    let folded = text.withUnsafeBufferPointer { utf8 in
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { folded in
                            Folding.foldLatin(utf8, into: folded).map { Array(folded[..<$0]) }
                        }
                    }
                    let expected = String(decoding: text, as: UTF8.self).lowercased().replacingOccurrences(of: "é", with: "e")
                    XCTAssertEqual(folded.map { String(decoding: $0, as: UTF8.self) }, expected, "byte \(byte) at \(place)")
                }
            }
        }
    }

    /// A text is ASCII unless one of its bytes, wherever it lies, is beyond.
    func testOneByteBeyondASCIIIsSeenAnywhere() {
        for count in 0...40 {
            var text = [UInt8](repeating: 0x7F, count: count)
            XCTAssertTrue(text.withUnsafeBufferPointer(Folding.isASCII), "\(count) bytes")
            for place in 0..<count {
                text[place] = 0x80
                XCTAssertFalse(text.withUnsafeBufferPointer(Folding.isASCII), "\(count) bytes, at \(place)")
                text[place] = 0x7F
            }
        }
    }
}
