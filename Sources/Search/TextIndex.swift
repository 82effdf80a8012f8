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
    static func quantise(_ weight: Float) -> UInt8 { UInt8(min(255, (weight * 32).rounded())) }
    static func weight(_ byte: UInt8) -> Float { Float(byte) / 32 }

    public init(_ documents: [SearchDocument]) {
        var ids = [String: Int]()
        var words = [String]()
        // Per document: (temporary term id, weight, fields), merged per term.
        var perDocument = [[(term: Int, weight: Float, fields: UInt8)]]()
        perDocument.reserveCapacity(documents.count)
        for document in documents {
            var found = [Int: (weight: Float, fields: UInt8)]()
            func add(_ text: String, _ field: SearchField, score: Float = 1) {
                for word in Folding.words(text) where Self.indexable(word, field) {
                    let term = ids[word] ?? {
                        ids[word] = words.count
                        words.append(word)
                        return words.count - 1
                    }()
                    let weight = field.weight * score
                    if let old = found[term] {
                        let fields = old.fields | field.bit
                        found[term] = (max(old.weight, weight) + (fields == old.fields ? 0 : 0.25), fields)
                    } else {
                        found[term] = (weight, field.bit)
                    }
                }
            }
            add(document.caption, .caption)
            for label in document.labels { add(label.name, .labels, score: max(0.2, label.score)) }
            add(document.text, .text)
            for place in [document.city, document.region, document.country].compactMap({ $0 }) { add(place, .place) }
            let slash = document.path.lastIndex(of: "/")
            add(slash.map { String(document.path[document.path.index(after: $0)...]) } ?? document.path, .name)
            if let slash { add(String(document.path[..<slash]), .folder) }
            for camera in [document.make, document.model, document.lens].compactMap({ $0 }) { add(camera, .camera) }
            perDocument.append(found.map { ($0.key, $0.value.weight, $0.value.fields) })
        }
        // Sort the vocabulary and renumber.
        let order = words.indices.sorted { words[$0] < words[$1] }
        var renumbered = [Int](repeating: 0, count: words.count)
        for (new, old) in order.enumerated() { renumbered[old] = new }
        terms = order.map { words[$0] }
        termBytes = terms.map { Array($0.utf8) }
        lettersOnly = termBytes.map { $0.allSatisfy { $0 >= 97 && $0 <= 122 || $0 >= 0x80 } }
        var counts = [Int](repeating: 0, count: terms.count + 1)
        for entries in perDocument { for entry in entries { counts[renumbered[entry.term] + 1] += 1 } }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        postingStart = counts
        var fill = counts
        var docs = [UInt32](repeating: 0, count: counts.last!)
        var weights = [UInt8](repeating: 0, count: counts.last!)
        var fields = [UInt8](repeating: 0, count: counts.last!)
        var forwardStart = [0]
        var forwardTerms = [UInt32]()
        var forwardWeights = [UInt8]()
        var forwardFields = [UInt8]()
        forwardTerms.reserveCapacity(counts.last!)
        forwardWeights.reserveCapacity(counts.last!)
        for (document, entries) in perDocument.enumerated() {
            for entry in entries {
                let term = renumbered[entry.term]
                docs[fill[term]] = UInt32(document)
                weights[fill[term]] = Self.quantise(entry.weight)
                fields[fill[term]] = entry.fields
                fill[term] += 1
            }
            for entry in entries.map({ (UInt32(renumbered[$0.term]), Self.quantise($0.weight), $0.fields) }).sorted(by: { $0.0 < $1.0 }) {
                forwardTerms.append(entry.0)
                forwardWeights.append(entry.1)
                forwardFields.append(entry.2)
            }
            forwardStart.append(forwardTerms.count)
        }
        // Best first within each word, so a search can stop after the best candidates of a very common word.
        let recency = documents.map { Columns.recency($0.taken) }
        for term in 0..<terms.count {
            let range = counts[term]..<counts[term + 1]
            let order = range.sorted { a, b in
                weights[a] != weights[b] ? weights[a] > weights[b]
                    : recency[Int(docs[a])] != recency[Int(docs[b])] ? recency[Int(docs[a])] > recency[Int(docs[b])] : docs[a] < docs[b]
            }
            let (sortedDocs, sortedWeights, sortedFields) = (order.map { docs[$0] }, order.map { weights[$0] }, order.map { fields[$0] })
            for (offset, slot) in range.enumerated() {
                docs[slot] = sortedDocs[offset]
                weights[slot] = sortedWeights[offset]
                fields[slot] = sortedFields[offset]
            }
        }
        postingDocs = docs
        postingWeights = weights
        postingFields = fields
        self.forwardStart = forwardStart
        self.forwardTerms = forwardTerms
        self.forwardWeights = forwardWeights
        self.forwardFields = forwardFields
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
