/// Postings of one word for photos added after the build, kept best first as the build orders them.
struct PostingTail: Sendable {
    var docs: [UInt32] = []
    var weights: [UInt8] = []
    var fields: [UInt8] = []

    /// Places a photo after every posting that ranks before it (higher weight, then newer, then older number).
    mutating func insert(_ document: UInt32, weight: UInt8, fields field: UInt8, recency: [UInt32]) {
        let newness = recency[Int(document)]
        var low = 0, high = docs.count
        while low < high {
            let middle = (low + high) / 2
            let before = weights[middle] != weight ? weights[middle] > weight : recency[Int(docs[middle])] >= newness
            if before { low = middle + 1 } else { high = middle }
        }
        docs.insert(document, at: low)
        weights.insert(weight, at: low)
        fields.insert(field, at: low)
    }
}

/// The words of the built vocabulary (a range), then matching words added since (ordered by their bytes).
struct TermSpan: Sequence {
    let built: Range<Int>
    let added: ArraySlice<Int>

    struct Iterator: IteratorProtocol {
        var built: Range<Int>.Iterator
        var added: ArraySlice<Int>.Iterator

        mutating func next() -> Int? { built.next() ?? added.next() }
    }

    func makeIterator() -> Iterator { Iterator(built: built.makeIterator(), added: added.makeIterator()) }
}

/// Keeping the index current one photo at a time: a photo is appended with the next number (its words get
/// postings in per-word tails, new words an id after the built ones) and taken out by marking it absent. A
/// changed photo is taken out and appended again. Nothing is rebuilt; a saved engine keeps tails as they are.
extension TextIndex {
    /// Words the build saw (sorted); ids from here on are words added since.
    var builtTermCount: Int { postingStart.count - 1 }

    var documentCount: Int { forwardStart.count - 1 }

    func isPresent(_ document: Int) -> Bool { document >= absent.count || !absent[document] }

    mutating func remove(_ document: Int) {
        if absent.count <= document { absent += repeatElement(false, count: document + 1 - absent.count) }
        absent[document] = true
    }

    /// Adds a photo as number `documentCount`; `recency` must already hold its capture time.
    mutating func append(_ document: SearchDocument, recency: [UInt32]) {
        let number = UInt32(documentCount)
        let entries = Self.entries(document).map { (term: term(for: $0.word), weight: Self.quantise($0.weight), fields: $0.fields) }
            .sorted { $0.term < $1.term }
        for entry in entries {
            forwardTerms.append(UInt32(entry.term))
            forwardWeights.append(entry.weight)
            forwardFields.append(entry.fields)
            tails[entry.term, default: PostingTail()].insert(number, weight: entry.weight, fields: entry.fields, recency: recency)
        }
        forwardStart.append(forwardTerms.count)
    }

    /// The id of a folded word, adding it when the index does not hold it yet.
    private mutating func term(for word: String) -> Int {
        let bytes = Array(word.utf8)
        if let known = exact(bytes) { return known }
        let id = terms.count
        terms.append(word)
        termBytes.append(bytes)
        lettersOnly.append(bytes.allSatisfy { $0 >= 97 && $0 <= 122 || $0 >= 0x80 })
        addedTerms.insert(id, at: addedLowerBound(bytes))
        return id
    }
}

extension TextIndex {
    /// One photo's words with their weight (best field, a quarter more for each further field) and fields.
    static func entries(_ document: SearchDocument) -> [(word: String, weight: Float, fields: UInt8)] {
        // The build's own weighing, so an appended photo is weighed as a built one.
        var words = PhotoWords()
        weigh(document, into: &words)
        return (0..<words.count).map { (words.word($0), words.weights[$0], words.fields[$0]) }
    }
}
