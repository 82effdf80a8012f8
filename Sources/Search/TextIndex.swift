/// The inverted index: a sorted vocabulary of folded words, for each word the photos holding it (best first: by
/// weight, then newest, with the fields it is in), and for each photo its words (to test a second query word
/// without a second list walk). Built once from the documents; read by many searches at once.
public struct TextIndex: Sendable {
    /// Folded words: those the build saw sorted (a prefix is a contiguous range), then words added since.
    public internal(set) var terms: [String]
    var termBytes: [[UInt8]]
    /// Words without digits: the only ones typos are looked for in.
    var lettersOnly: [Bool]
    /// Postings of the words the build saw, best first; `tails` holds those added since.
    var postingStart: [Int]
    var postingDocs: [UInt32]
    var postingWeights: [UInt8]
    var postingFields: [UInt8]
    var forwardStart: [Int]
    var forwardTerms: [UInt32]
    var forwardWeights: [UInt8]
    var forwardFields: [UInt8]
    /// Words added after the build (term ids from `builtTermCount` on), ordered by their bytes.
    var addedTerms: [Int] = []
    /// Per word, the postings of photos added after the build, best first.
    var tails: [Int: PostingTail] = [:]
    /// Photos taken out (removed, or replaced by a newer version of themselves): their postings are skipped.
    var absent: [Bool] = []

    /// Words too common to mean anything in a photo search.
    static let stopWords: Set<String> = ["a", "an", "and", "the", "of", "in", "on", "at", "to", "with", "by", "for", "near",
                                         "from", "is", "it", "its", "or", "over", "under", "photo", "picture"]

    /// Weight of a word in one photo: its best field, a little more for each further field, as a byte.
    /// Halves round up, by a truncating conversion (`rounded()` was a call into libm for each of a build's words);
    /// weights are never negative, and NaN or more than the top are the top.
    static func quantise(_ weight: Float) -> UInt8 { UInt8(min(255, weight * 32 + 0.5)) }
    static func weight(_ byte: UInt8) -> Float { Float(byte) / 32 }

    public init(_ documents: [SearchDocument]) {
        self.init(TextIndexBuild(documents))
    }

    init(_ built: TextIndexBuild) {
        terms = built.terms
        termBytes = built.termBytes
        lettersOnly = built.lettersOnly
        postingStart = built.postingStart
        postingDocs = built.postingDocs
        postingWeights = built.postingWeights
        postingFields = built.postingFields
        forwardStart = built.forwardStart
        forwardTerms = built.forwardTerms
        forwardWeights = built.forwardWeights
        forwardFields = built.forwardFields
    }

    /// Long camera counters in file names (DSC04742, PXL_20210714_183412345) would fill the vocabulary with a word
    /// per photo that nobody types; `name:` finds those. Kept: the letters (img, dsc, pxl) and short numbers.
    static func indexable(_ word: String, _ field: SearchField) -> Bool {
        if stopWords.contains(word) { return false }
        if field == .name, word.utf8.count > 4, word.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return false }
        return true
    }

    /// Bytes held by the index's arrays (the vocabulary's strings counted by their UTF-8 length).
    public var memoryBytes: Int {
        postingDocs.count * 6 + forwardTerms.count * 6 + (postingStart.count + forwardStart.count) * 8
            + termBytes.reduce(0) { $0 + $1.count + 16 } + tails.values.reduce(0) { $0 + $1.docs.count * 6 + 64 } + absent.count
    }

    /// Term ids whose word starts with `prefix`: a range of the built vocabulary, then the words added since.
    func prefixRange(_ prefix: [UInt8]) -> TermSpan {
        // No folded word holds the byte 0xFF, so prefix + 0xFF sorts after every word starting with the prefix.
        let low = lowerBound(prefix), high = lowerBound(prefix + [0xFF])
        let addedLow = addedLowerBound(prefix), addedHigh = addedLowerBound(prefix + [0xFF])
        return TermSpan(built: low..<max(low, high), added: addedTerms[addedLow..<max(addedLow, addedHigh)])
    }

    func lowerBound(_ key: [UInt8]) -> Int {
        var low = 0, high = builtTermCount
        while low < high {
            let middle = (low + high) / 2
            if termBytes[middle].lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Position in `addedTerms` of the first added word not before `key`.
    func addedLowerBound(_ key: [UInt8]) -> Int {
        var low = 0, high = addedTerms.count
        while low < high {
            let middle = (low + high) / 2
            if termBytes[addedTerms[middle]].lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func exact(_ word: [UInt8]) -> Int? {
        let index = lowerBound(word)
        if index < builtTermCount && termBytes[index] == word { return index }
        let added = addedLowerBound(word)
        return added < addedTerms.count && termBytes[addedTerms[added]] == word ? addedTerms[added] : nil
    }

    /// The built postings of a word (empty for a word added since: its postings are all in its tail).
    func postings(_ term: Int) -> Range<Int> { term < builtTermCount ? postingStart[term]..<postingStart[term + 1] : 0..<0 }

    /// Whether a photo holds a word (its word list is sorted).
    func holds(_ term: Int, _ document: Int) -> Bool {
        var low = forwardStart[document], high = forwardStart[document + 1]
        while low < high {
            let middle = (low + high) / 2
            if forwardTerms[middle] < UInt32(term) { low = middle + 1 } else { high = middle }
        }
        return low < forwardStart[document + 1] && forwardTerms[low] == UInt32(term)
    }

    func documentFrequency(_ term: Int) -> Int { postings(term).count + (tails[term]?.docs.count ?? 0) }
}
