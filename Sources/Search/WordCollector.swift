import Foundation

/// Where `TextIndex.weigh` puts a photo's words: each distinct folded word once, with its weight and fields
/// (`SearchField.merge`). Texts are split and folded here, the same for every collector.
protocol WordCollector {
    /// Forgets the previous photo's words.
    mutating func removeAll()
    /// An indexable ASCII word, folded, with its `WordHash`.
    mutating func add(ascii word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ field: SearchField, score: Float)
    /// An indexable word beyond ASCII, folded (told apart as Strings are: canonical equivalence).
    mutating func add(unicode word: String, _ field: SearchField, score: Float)
    /// A text the filter columns code too (a label: the `place`th of the photo's best labels): a collector that
    /// knows the codes may add again the words of an earlier text with the same code. True as `add(latinText:)`.
    mutating func add(codedText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float, _ coded: CodedText,
                      place: Int) -> Bool
}

/// The texts of a photo that a filter column codes, as it folds them: two ASCII texts with one code fold to the
/// same bytes, so they split into the same words.
enum CodedText: Int, CaseIterable {
    case folder, make, model, lens, city, region, country, label
}

extension WordCollector {
    /// A text's words: ASCII and Latin letters (nearly all text) byte by byte, anything else through Foundation's
    /// folding.
    mutating func add(codedText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float, _ coded: CodedText,
                      place: Int) -> Bool {
        add(latinText: text, field, score: score)
    }

    mutating func add(_ text: String, _ field: SearchField, score: Float = 1, coded: CodedText? = nil, place: Int = 0) {
        guard !text.isEmpty else { return }
        if !text.withUTF8Bytes({ utf8 in
            guard let coded else { return add(latinText: utf8, field, score: score) }
            return add(codedText: utf8, field, score: score, coded, place: place)
        }) {
            for word in Folding.words(text) { add(word: word, field, score: score) }
        }
    }

    /// The words of UTF-8 text that `Folding.foldLatin` folds, and true; false, with nothing added, for other text.
    mutating func add(latinText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float = 1) -> Bool {
        if Folding.isASCII(text) {
            add(asciiText: text, field, score: score)
            return true
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { folded in
            guard let count = Folding.foldLatin(text, into: folded) else { return false }
            add(asciiText: UnsafeBufferPointer(rebasing: folded[..<count]), field, score: score)
            return true
        }
    }

    mutating func add(asciiText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float = 1) {
        // Seven bytes past the text, so each word's hash may read its tail in one load (all of it set first: the
        // load reads past the word, before the splitter has written those bytes).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 7) { folded in
            folded.initialize(repeating: 0)
            Folding.forEachASCIIWord(text, folded: folded) { add(asciiWord: $0, hash: WordHash.of(padded: $0), field, score: score) }
        }
    }

    private mutating func add(word: String, _ field: SearchField, score: Float) {
        let ascii = word.withUTF8Bytes { utf8 in
            guard Folding.isASCII(utf8) else { return false }
            add(asciiWord: utf8, hash: WordHash.of(utf8), field, score: score)
            return true
        }
        guard !ascii, TextIndex.indexable(word, field) else { return }
        add(unicode: word, field, score: score)
    }

    private mutating func add(asciiWord word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ field: SearchField, score: Float) {
        guard TextIndex.indexable(ascii: word, hash: hash, field) else { return }
        add(ascii: word, hash: hash, field, score: score)
    }
}

extension SearchField {
    /// The rule the index has always had: the best field's weight, 0.25 more when the word is in a further field.
    @inline(__always)
    static func merge(_ field: SearchField, _ score: Float, into weight: inout Float, _ fields: inout UInt8) {
        let merged = fields | field.bit
        weight = max(weight, field.weight * score) + (merged == fields ? 0 : 0.25)
        fields = merged
    }
}
