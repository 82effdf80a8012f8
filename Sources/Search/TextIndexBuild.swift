import Foundation

extension TextIndex {
    /// One photo's words and their weights, as the index holds them: the caption, the labels (by their score),
    /// recognised text, places, file name, folder, camera and the names of its people, in that order; a word's weight is its best field's,
    /// 0.25 more for each further field. The one place these rules live: the bulk build and adding a photo call it.
    static func weigh<Words: WordCollector>(_ document: SearchDocument, into words: inout Words) {
        words.removeAll()
        words.add(document.caption, .caption)
        var best = 0
        for label in document.labels {
            let isBest = WordListColumn.isBest(label.score, taken: best)
            words.add(label.name, .labels, score: max(0.2, label.score), coded: isBest ? .label : nil, place: best)
            if isBest { best += 1 }
        }
        words.add(document.text, .text)
        if let city = document.city { words.add(city, .place, coded: .city) }
        if let region = document.region { words.add(region, .place, coded: .region) }
        if let country = document.country { words.add(country, .place, coded: .country) }
        let path = document.path
        // A path of ASCII and Latin letters has no combining marks: every "/" separates, byte by byte.
        let latin = path.withUTF8Bytes { utf8 in
            guard Folding.isASCII(utf8) || Folding.isLatin(utf8) else { return false }
            let slash = utf8.lastIndex(of: UInt8(ascii: "/"))
            _ = words.add(latinText: UnsafeBufferPointer(rebasing: utf8[(slash.map { $0 + 1 } ?? 0)...]), .name)
            if let slash { _ = words.add(codedText: UnsafeBufferPointer(rebasing: utf8[..<slash]), .folder, score: 1, .folder, place: 0) }
            return true
        }
        if !latin {
            // By characters, as before: a "/" that carries a combining mark is not a separator.
            let slash = path.lastIndex(of: "/")
            words.add(slash.map { String(path[path.index(after: $0)...]) } ?? path, .name)
            if let slash { words.add(String(path[..<slash]), .folder) }
        }
        if let make = document.make { words.add(make, .camera, coded: .make) }
        if let model = document.model { words.add(model, .camera, coded: .model) }
        if let lens = document.lens { words.add(lens, .camera, coded: .lens) }
        for person in document.people { words.add(person, .person) }
    }

    /// `indexable` on an ASCII word's bytes and their `WordHash`.
    static func indexable(ascii word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ field: SearchField) -> Bool {
        if stopWordHashes[Int(hash >> 6 & 3)] & 1 << (hash & 63) != 0, word.count <= 8, stopWordKeys.contains(key(word)) {
            return false
        }
        if field == .name, word.count > 4, word.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return false }
        return true
    }

    /// The stop words (none longer than 8 bytes) by `key`: found without a String made for a word.
    private static let stopWordKeys: [UInt64] = stopWords.map { Array($0.utf8).withUnsafeBufferPointer(key) }

    /// Up to 8 bytes of a word (never a 0 byte) as one number.
    private static func key(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        word.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A bit for each stop word's hash (of 256): most words pass without a String made to look in the set.
    private static let stopWordHashes: [UInt64] = stopWords.reduce(into: [0, 0, 0, 0]) { bits, word in
        let hash = Array(word.utf8).withUnsafeBufferPointer { WordHash.of($0) }
        bits[Int(hash >> 6 & 3)] |= 1 << (hash & 63)
    }
}

/// The index's arrays, built from the documents on both cores: each half of the photos weighed on its own
/// (word numbers of its own), the vocabularies merged and sorted, each half's word lists written, then the
/// postings laid out newest first (the newest half of the photos on one core, the rest on the other), and each half
/// of the vocabulary ordered by weight on its own core (a counting sort; short lists by insertion).
struct TextIndexBuild {
    var terms = [String]()
    var termBytes = [[UInt8]]()
    var lettersOnly = [Bool]()
    var postingStart = [Int]()
    var postingDocs = [UInt32]()
    var postingWeights = [UInt8]()
    var postingFields = [UInt8]()
    var forwardStart = [Int]()
    var forwardTerms = [UInt32]()
    var forwardWeights = [UInt8]()
    var forwardFields = [UInt8]()

    init(_ documents: [SearchDocument]) {
        let count = documents.count
        var (first, second) = inParallel({ WeighedHalf(documents, 0..<count / 2) }, { WeighedHalf(documents, count / 2..<count) })
        self.init(&first, second, recency: documents.map { Columns.recency($0.taken) })
    }

    /// The index of the photos of `first` then `second`, weighed on their own cores; `recency` by photo number.
    /// `first`'s lists become the index's word lists (sorted in place, `second`'s written after them): where the
    /// first half's room covers every entry (a build's does), no fresh pages and no copy for its entries. `first` is
    /// left without its word lists.
    init(_ first: inout WeighedHalf, _ second: WeighedHalf, recency: [UInt32]) {
        let newestFirst = Self.newestFirst(recency)
        // One vocabulary, sorted as Strings sort; each half's word numbers renumbered into it.
        var numbers = first.numbers
        let secondNumbers = (0..<second.numbers.count).map { numbers.number(of: second.numbers, $0) }
        let words = (0..<numbers.count).map { numbers.word($0) }
        let order = words.indices.sorted { words[$0] < words[$1] }
        var sortedNumber = [Int32](repeating: 0, count: words.count)
        for (new, old) in order.enumerated() { sortedNumber[old] = Int32(new) }
        terms = order.map { words[$0] }
        termBytes = terms.map { Array($0.utf8) }
        lettersOnly = termBytes.map { $0.allSatisfy { $0 >= 97 && $0 <= 122 || $0 >= 0x80 } }

        // Each photo's word list, sorted by word, and how many photos hold each word; then the postings: the newest
        // half's photos laid out on one core from each word's start, the rest on the other from each word's end,
        // oldest first and downward, so the two meet without counting either half's share; then each half of the
        // vocabulary sorted by weight on its own core. Both threads write straight into the arrays the index keeps.
        let firstEntries = first.terms.count, entries = first.terms.count + second.terms.count
        let forwardStart = [0] + first.ends + second.ends.map { $0 + firstEntries }
        let newerCount = recency.count / 2
        var postingStart = [Int](repeating: 0, count: words.count + 1)
        var postings = ([UInt32](), [UInt8](), [UInt8]())
        let firstEnds = first.ends
        (forwardTerms, forwardWeights, forwardFields) = first.takeLists(growingTo: entries)
        Self.sharing(&forwardTerms, &forwardWeights, &forwardFields) { forward in
            let (firstCounts, secondCounts) = inParallel(
                { WeighedHalf.sortWordLists(firstEnds, renumber: sortedNumber, from: forward, into: forward, at: 0, terms: words.count) },
                { second.writeWordLists(renumber: secondNumbers.map { sortedNumber[Int($0)] }, at: firstEntries,
                                        into: forward, terms: words.count) })
            for term in 0..<words.count {
                postingStart[term + 1] = postingStart[term] + Int(firstCounts[term]) + Int(secondCounts[term])
            }
            let middle = postingStart.firstIndex { $0 >= entries / 2 } ?? words.count
            postings = Self.filled(count: entries) { [postingStart] postings in
                let (newer, older) = (newestFirst[..<newerCount], ArraySlice(newestFirst[newerCount...].reversed()))
                _ = inParallel(
                    { Self.layOut(newer, fill: Array(postingStart.dropLast()), downward: false, forward, forwardStart, into: postings) },
                    { Self.layOut(older, fill: Array(postingStart.dropFirst()), downward: true, forward, forwardStart, into: postings) })
                _ = inParallel({ Self.sortByWeight(0..<middle, postingStart, postings) },
                               { Self.sortByWeight(middle..<words.count, postingStart, postings) })
            }
        }
        self.forwardStart = forwardStart
        self.postingStart = postingStart
        (postingDocs, postingWeights, postingFields) = postings
    }

    /// Three arrays of `count` entries, every one written by `fill` through their buffers (by both threads).
    private static func filled(count: Int, _ fill: (ForwardBuffers) -> Void) -> ([UInt32], [UInt8], [UInt8]) {
        var terms: [UInt32] = HugePages.uninitialized(count)
        var weights: [UInt8] = HugePages.uninitialized(count)
        var fields: [UInt8] = HugePages.uninitialized(count)
        sharing(&terms, &weights, &fields, fill)
        return (terms, weights, fields)
    }

    /// `work` given the three arrays' buffers (to write by both threads).
    private static func sharing(_ terms: inout [UInt32], _ weights: inout [UInt8], _ fields: inout [UInt8],
                                _ work: (ForwardBuffers) -> Void) {
        terms.withUnsafeMutableBufferPointer { terms in
            weights.withUnsafeMutableBufferPointer { weights in
                fields.withUnsafeMutableBufferPointer { fields in work(ForwardBuffers(terms: terms, weights: weights, fields: fields)) }
            }
        }
    }

    /// Photo numbers by capture time, newest first, then by number: the order of ties within a weight.
    private static func newestFirst(_ recency: [UInt32]) -> [UInt32] {
        var keys = recency.indices.map { UInt64(UInt32.max - recency[$0]) << 32 | UInt64($0) }
        keys.sort()
        return keys.map { UInt32(truncatingIfNeeded: $0) }
    }

    /// The postings of `documents`, in their order: each word's next photo at its `fill`, which moves up, or
    /// `downward` just before it, so the last photo given comes first. Photos come in time order (or its reverse) and
    /// their word lists lie anywhere: a block of photos' lists is found first (their first word, weight and field read
    /// as well), so the cache misses of the block overlap instead of following one another.
    private static func layOut(_ documents: ArraySlice<UInt32>, fill: [Int], downward: Bool, _ forward: ForwardBuffers,
                               _ forwardStart: [Int], into postings: ForwardBuffers) {
        var fill = fill
        let (wordTerms, wordWeights, wordFields) = (forward.terms, forward.weights, forward.fields)
        let (docs, weights, fields) = (postings.terms, postings.weights, postings.fields)
        var lists = [(entries: Range<Int>, term: UInt32, weight: UInt8, field: UInt8)](repeating: (0..<0, 0, 0, 0), count: layOutBlock)
        var blockStart = documents.startIndex
        while blockStart < documents.endIndex {
            let block = documents[blockStart..<min(blockStart + layOutBlock, documents.endIndex)]
            for (place, document) in block.enumerated() {
                let entries = forwardStart[Int(document)]..<forwardStart[Int(document) + 1]
                lists[place] = entries.isEmpty ? (entries, 0, 0, 0)
                    : (entries, wordTerms[entries.lowerBound], wordWeights[entries.lowerBound], wordFields[entries.lowerBound])
            }
            for (place, document) in block.enumerated() {
                let list = lists[place]
                for entry in list.entries {
                    let first = entry == list.entries.lowerBound
                    let term = Int(first ? list.term : wordTerms[entry])
                    let slot = downward ? fill[term] - 1 : fill[term]
                    fill[term] = downward ? slot : slot + 1
                    docs[slot] = document
                    weights[slot] = first ? list.weight : wordWeights[entry]
                    fields[slot] = first ? list.field : wordFields[entry]
                }
            }
            blockStart = block.endIndex
        }
    }

    /// Photos whose word lists are looked up together before any is laid out.
    private static let layOutBlock = 16

    /// The postings of `terms`, laid out newest first, ordered by weight (a stable sort keeps the rest).
    private static func sortByWeight(_ terms: Range<Int>, _ postingStart: [Int], _ postings: ForwardBuffers) {
        var sorter = WeightSorter()
        for term in terms { sorter.sort(postingStart[term]..<postingStart[term + 1], postings.terms, postings.weights, postings.fields) }
    }
}

/// Word numbers (or photo numbers), weights and fields, written by two threads at once, each its own part: the
/// buffers of Swift arrays (which may not be shared for writing) while `TextIndexBuild.filled` or `sharing` runs.
struct ForwardBuffers: @unchecked Sendable {
    let terms: UnsafeMutableBufferPointer<UInt32>
    let weights: UnsafeMutableBufferPointer<UInt8>
    let fields: UnsafeMutableBufferPointer<UInt8>
}

/// Half of the photos weighed: word numbers of its own and, per photo, its words, quantised weights and fields.
struct WeighedHalf {
    private var words = NumberedWords()
    var numbers: WordNumbers { words.numbers }
    /// The end of each photo's entries, counted from the half's first.
    private(set) var ends = [Int]()
    /// The half's own word numbers, as UInt32: the type of the index's word lists, which the first half's become once
    /// renumbered in place.
    private(set) var terms = [UInt32]()
    private(set) var weights = [UInt8]()
    private(set) var fields = [UInt8]()

    init(photos: Int) { ends.reserveCapacity(photos) }

    private static let mostEntriesReserved = 64

    init(_ documents: [SearchDocument], _ range: Range<Int>) {
        self.init(photos: range.count)
        for index in range { add(documents[index]) }
    }

    /// Room for `photos` photos' entries at the average so far and a quarter more, so the lists are not moved
    /// (copied and faulted in again) as they grow; room never written is not resident (but for the rest of a 2 MiB
    /// page written in part, where `HugePages` applies). Never more than `mostEntriesReserved` a photo: a sample of
    /// wordy photos must not ask for gigabytes.
    mutating func reserveCapacity(photos: Int) {
        guard !ends.isEmpty else { return }
        let entries = min(terms.count / ends.count + 1, Self.mostEntriesReserved) * photos * 5 / 4
        HugePages.reserve(&terms, entries)
        HugePages.reserve(&weights, entries)
        HugePages.reserve(&fields, entries)
    }

    /// The next photo's words; `codes` writes the photo's codes in the half's filter columns (`Columns.codes`)
    /// when they are built beside, and by default none: each photo's own, never the previous photo's.
    mutating func add(_ document: SearchDocument, codes: (inout [UInt32]) -> Void = { $0.removeAll(keepingCapacity: true) }) {
        codes(&words.codes)
        TextIndex.weigh(document, into: &words)
        // A photo's words copied into each list at once (an append a word checked the list's uniqueness each time),
        // through a buffer on the stack (a lazy map was copied element by element through its iterator).
        words.entries.withUnsafeBufferPointer { entries in
            Self.append(entries, to: &terms) { UInt32(bitPattern: $0.term) }
            Self.append(entries, to: &weights) { TextIndex.quantise($0.weight) }
            Self.append(entries, to: &fields) { $0.field }
        }
        ends.append(terms.count)
    }

    private static func append<Value: BitwiseCopyable>(_ entries: UnsafeBufferPointer<WeighedWord>, to list: inout [Value],
                                                       _ value: (WeighedWord) -> Value) {
        withUnsafeTemporaryAllocation(of: Value.self, capacity: entries.count) { values in
            for (place, entry) in entries.enumerated() { values.initializeElement(at: place, to: value(entry)) }
            list.append(contentsOf: values)
        }
    }

    /// The lists taken out, zeros appended up to `entries` (the room the other half's lists are written in).
    mutating func takeLists(growingTo entries: Int) -> ([UInt32], [UInt8], [UInt8]) {
        var lists = ([UInt32](), [UInt8](), [UInt8]())
        swap(&lists.0, &terms)
        swap(&lists.1, &weights)
        swap(&lists.2, &fields)
        ends = []
        let more = entries - lists.0.count
        // Room short of the estimate: one allocation of the size needed, not doubling as the zeros go in.
        if lists.0.capacity < entries {
            HugePages.reserve(&lists.0, entries)
            HugePages.reserve(&lists.1, entries)
            HugePages.reserve(&lists.2, entries)
        }
        lists.0.append(contentsOf: repeatElement(0, count: more))
        lists.1.append(contentsOf: repeatElement(0, count: more))
        lists.2.append(contentsOf: repeatElement(0, count: more))
        return lists
    }

    /// Writes each photo's entries, renumbered and sorted by word, at `offset`; returns how many photos hold each
    /// word.
    func writeWordLists(renumber: [Int32], at offset: Int, into forward: ForwardBuffers, terms termCount: Int) -> [Int32] {
        terms.withUnsafeBufferPointer { terms in
            weights.withUnsafeBufferPointer { weights in
                fields.withUnsafeBufferPointer { fields in
                    // Only read: the source is never written.
                    let source = ForwardBuffers(terms: UnsafeMutableBufferPointer(mutating: terms), weights: UnsafeMutableBufferPointer(mutating: weights),
                                                fields: UnsafeMutableBufferPointer(mutating: fields))
                    return Self.sortWordLists(ends, renumber: renumber, from: source, into: forward, at: offset, terms: termCount)
                }
            }
        }
    }

    /// Each photo's entries (ending at `ends`) read from `source`, renumbered, and written sorted by word into `out`
    /// from `offset`; `source` may be `out` itself at offset 0 (sorted where they lie). Returns how many photos hold
    /// each word.
    static func sortWordLists(_ ends: [Int], renumber: [Int32], from source: ForwardBuffers, into out: ForwardBuffers, at offset: Int,
                              terms termCount: Int) -> [Int32] {
        var counts = [Int32](repeating: 0, count: termCount)
        let (terms, weights, fields) = (out.terms, out.weights, out.fields)
        var start = 0
        for end in ends {
            for entry in start..<end {
                // Insertion sort (a photo has a few dozen words), the entry read before any shift may write over it.
                let term = UInt32(renumber[Int(source.terms[entry])])
                let (weight, field) = (source.weights[entry], source.fields[entry])
                counts[Int(term)] += 1
                var slot = offset + entry
                while slot > offset + start, terms[slot - 1] > term {
                    (terms[slot], weights[slot], fields[slot]) = (terms[slot - 1], weights[slot - 1], fields[slot - 1])
                    slot -= 1
                }
                (terms[slot], weights[slot], fields[slot]) = (term, weight, field)
            }
            start = end
        }
        return counts
    }
}

/// One of a photo's words: its number in the half's vocabulary, its weight so far and its fields' bits.
private typealias WeighedWord = (term: Int32, weight: Float, field: UInt8)

/// A photo's words numbered straight into the half's vocabulary, each distinct word once by its number: one hash
/// probe a word, where a table of the photo's own words and then the vocabulary took two.
private struct NumberedWords: WordCollector {
    private(set) var numbers = WordNumbers()
    /// The photo's codes by `CodedText` (its best labels' from `.label` on); empty when not known.
    var codes = [UInt32]()
    /// Per coded column, per code: the words an ASCII text with that code added, in `remembered`.
    private var known = [[Range<Int32>?]](repeating: [], count: CodedText.allCases.count)
    private var remembered = [Int32]()
    private var remembering = false
    /// The photo's words so far by number, in a table of their own that stays in the cache (an array by word
    /// number missed it for every rare word): entries of earlier photos are free. At most half full.
    private var photoWords = [(photo: Int32, word: Int32, position: Int32)](repeating: (0, 0, 0), count: photoWordsRoom)
    private static let photoWordsRoom = 64
    /// The photo being weighed, counted from 1.
    private var current: Int32 = 0
    /// The photo's words in the order first added, side by side (one append a word, not three).
    private(set) var entries = [WeighedWord]()

    mutating func removeAll() {
        current += 1
        // Back to a table that stays in the cache after a photo of many words (a long text) grew it.
        if photoWords.count > Self.photoWordsRoom { photoWords = Array(repeating: (0, 0, 0), count: Self.photoWordsRoom) }
        entries.removeAll(keepingCapacity: true)
    }

    mutating func add(ascii word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ field: SearchField, score: Float) {
        add(numbers.number(word, hash, nil), field, score)
    }

    mutating func add(unicode word: String, _ field: SearchField, score: Float) {
        let number = word.withUTF8Bytes { numbers.number($0, UInt64(UInt(bitPattern: word.hashValue)), word) }
        add(number, field, score)
    }

    /// Words of a coded ASCII text added again by number when its code has been seen, without folding, splitting,
    /// hashing or looking up (most of a photo's words are its folder's, camera's, place's and labels').
    mutating func add(codedText text: UnsafeBufferPointer<UInt8>, _ field: SearchField, score: Float, _ coded: CodedText,
                      place: Int) -> Bool {
        let column = coded.rawValue
        guard column + place < codes.count, Folding.isASCII(text) else { return add(latinText: text, field, score: score) }
        let code = Int(codes[column + place])
        if code < known[column].count, let words = known[column][code] {
            for at in Int(words.lowerBound)..<Int(words.upperBound) { add(remembered[at], field, score) }
            return true
        }
        let start = Int32(remembered.count)
        remembering = true
        add(asciiText: text, field, score: score)
        remembering = false
        if code >= known[column].count { known[column] += repeatElement(nil, count: code + 1 - known[column].count) }
        known[column][code] = start..<Int32(remembered.count)
        return true
    }

    private mutating func add(_ number: Int32, _ field: SearchField, _ score: Float) {
        if remembering { remembered.append(number) }
        var slot = slot(of: number)
        while photoWords[slot].photo == current {
            if photoWords[slot].word == number {
                let at = Int(photoWords[slot].position)
                var entry = entries[at]
                SearchField.merge(field, score, into: &entry.weight, &entry.field)
                entries[at] = entry
                return
            }
            slot = (slot + 1) & (photoWords.count - 1)
        }
        photoWords[slot] = (current, number, Int32(entries.count))
        entries.append((number, field.weight * score, field.bit))
        if entries.count * 2 > photoWords.count { growPhotoWords() }
    }

    /// Where a word's probe starts in `photoWords` (Fibonacci hashing: the top bits of the number times 2⁶⁴/φ).
    private func slot(of number: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: number)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - photoWords.count.trailingZeroBitCount))
    }

    /// Twice the room, the photo's words so far placed again (a photo of many words: a long text).
    private mutating func growPhotoWords() {
        photoWords = Array(repeating: (0, 0, 0), count: photoWords.count * 2)
        for (position, number) in entries.lazy.map(\.term).enumerated() {
            var slot = slot(of: number)
            while photoWords[slot].photo == current { slot = (slot + 1) & (photoWords.count - 1) }
            photoWords[slot] = (current, number, Int32(position))
        }
    }
}

/// Orders one word's postings by weight, highest first, keeping the order within a weight (newest first).
private struct WeightSorter {
    private var docs = [UInt32]()
    private var fields = [UInt8]()
    private var weights = [UInt8]()

    mutating func sort(_ range: Range<Int>, _ postingDocs: UnsafeMutableBufferPointer<UInt32>,
                       _ postingWeights: UnsafeMutableBufferPointer<UInt8>, _ postingFields: UnsafeMutableBufferPointer<UInt8>) {
        if range.count < 2 { return }
        if range.count <= 32 {
            for index in range.dropFirst() {
                let (doc, weight, field) = (postingDocs[index], postingWeights[index], postingFields[index])
                var slot = index
                while slot > range.lowerBound, postingWeights[slot - 1] < weight {
                    (postingDocs[slot], postingWeights[slot], postingFields[slot]) =
                        (postingDocs[slot - 1], postingWeights[slot - 1], postingFields[slot - 1])
                    slot -= 1
                }
                (postingDocs[slot], postingWeights[slot], postingFields[slot]) = (doc, weight, field)
            }
            return
        }
        // Counting sort: start of each weight's run, the highest weight first.
        var next = [Int](repeating: 0, count: 256)
        for index in range { next[Int(postingWeights[index])] += 1 }
        var start = 0
        for weight in (0..<256).reversed() { (next[weight], start) = (start, start + next[weight]) }
        docs.removeAll(keepingCapacity: true)
        docs.append(contentsOf: postingDocs[range])
        weights.removeAll(keepingCapacity: true)
        weights.append(contentsOf: postingWeights[range])
        fields.removeAll(keepingCapacity: true)
        fields.append(contentsOf: postingFields[range])
        for index in 0..<range.count {
            let weight = Int(weights[index])
            let slot = range.lowerBound + next[weight]
            next[weight] += 1
            (postingDocs[slot], postingWeights[slot], postingFields[slot]) = (docs[index], weights[index], fields[index])
        }
    }
}
