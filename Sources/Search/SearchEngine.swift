import Foundation

/// The search engine over one library: words with prefixes, typos and field weights, filters, meaning
/// (vectors) and their fusion, facets and a reason for every hit. Built once in memory; safe to search from
/// many threads at once.
public final class SearchEngine: @unchecked Sendable {
    // Read by searches under `lock.read`, changed in place by `apply` under `lock.write`.
    var index: TextIndex
    var columns: Columns
    var facetColumns: FacetColumns
    var vectors: [String: VectorIndex]
    var parser: QueryParser
    /// The photo number each photo id is at now (a changed photo moves to a new number).
    var numbers: NumbersByID
    /// Photos shown as one (RAW+JPEG, Live Photos, bursts, edited copies).
    var stacks: Stacks
    /// Vectors a load left to be read later, and the changes made meanwhile; nil once they are in place.
    var arriving: ArrivingVectors?
    /// Set when the saved vectors could not be read: no vector is kept from then on (the engine is never saved).
    var vectorsLost = false
    let arrival: VectorArrival
    let lock = ReadWriteLock()
    private let scratchPool = ScratchPool()

    /// Below this cosine two photos' descriptions are not taken as alike ("more like this").
    static let alikeFloor: Float = 0.2
    /// Matches beyond this many are not counted into facets (they are a sample then).
    static let facetSample = 50_000

    public init(documents: [SearchDocument], vectors: [VectorIndex] = []) {
        // Each half of the photos on a core of its own, each photo's filter values and words read together (its
        // strings are then in that core's cache, and only that core counts references to them).
        // Split where a text column's block of rows ends, so the second half's text columns join in bulk (a library
        // too small for two blocks a half splits in the middle, and joins row by row).
        let blocks = documents.count / 2 / TextColumn.blockRows * TextColumn.blockRows
        let middle = blocks > 0 ? blocks : documents.count / 2
        // The first half has room for every photo, so the second's values are appended in place (and its word lists
        // written after the first's).
        var (first, second) = inParallel({ BuildHalf(documents, 0..<middle, room: documents.count) },
                                         { BuildHalf(documents, middle..<documents.count, room: documents.count - middle) })
        // Taken out of the first half, so appending the second does not copy them.
        var joined = Columns()
        swap(&joined, &first.columns)
        let recency = joined.recency + second.columns.recency
        // The columns joined, then the facets and stacks read from them, while the text index is laid out (it
        // needs only the words and the capture times): the join no longer leaves a core idle.
        let (built, index) = inParallel(
            { () -> (Columns, FacetColumns, Set<String>, Stacks) in
                joined.append(contentsOf: second.columns)
                return (joined, FacetColumns(joined), Self.places(documents, joined), Stacks(joined) { _ in true })
            },
            { TextIndex(TextIndexBuild(&first.words, second.words, recency: recency)) })
        self.index = index
        (columns, facetColumns, parser, stacks) = (built.0, built.1, QueryParser(places: built.2), built.3)
        self.vectors = Dictionary(vectors.map { ($0.model, $0) }) { first, _ in first }
        // From the ids column: a map over the documents copied each one (its strings retained and released).
        numbers = NumbersByID(ids: columns.ids)
        arrival = VectorArrival(.arrived)
    }

    /// One half of the photos' filter columns and words.
    private struct BuildHalf {
        var columns: Columns
        var words: WeighedHalf

        /// Photos read before room for the rest is sized from their average.
        private static let sample = 1024

        /// - Parameter room: photos the columns are made ready for (more than the range where others join them).
        init(_ documents: [SearchDocument], _ range: Range<Int>, room: Int) {
            // The buffer below is read without bounds checks.
            precondition(range.lowerBound >= 0 && range.upperBound <= documents.count)
            // Built in locals: the words read the columns' codes while they are written.
            var columns = Columns(), words = WeighedHalf(photos: range.count)
            columns.reserveCapacity(room)
            // Each document copied once (its strings retained and released once): passed straight from the buffer,
            // it was copied for each call, as the compiler cannot tell that a call leaves the buffer alone.
            documents.withUnsafeBufferPointer { documents in
                for index in range {
                    // Once a sample of photos tells how long their texts and word lists run, room for the rest.
                    if index == range.lowerBound + Self.sample {
                        columns.reserveTextCapacity(photos: room)
                        // The first half's word lists become the index's: room for the second's after them.
                        words.reserveCapacity(photos: room)
                    }
                    if index + 1 < range.upperBound { SearchDocument.prefetch(documents.baseAddress! + index + 1) }
                    let document = documents[index]
                    columns.append(document)
                    words.add(document) { columns.codes(ofRow: columns.count - 1, into: &$0) }
                }
            }
            (self.columns, self.words) = (columns, words)
        }
    }

    /// Every photo's `foldedPlaces`, from the columns' distinct values: "" stands for a missing place there, and is a
    /// place only where a photo's own place folded to nothing.
    static func places(_ documents: [SearchDocument], _ columns: Columns) -> Set<String> {
        var places = Set([columns.city, columns.region, columns.country].flatMap { $0.names.filter { !$0.isEmpty } })
        let (city, region, country) = (columns.city.numbers[""], columns.region.numbers[""], columns.country.numbers[""])
        // Read in place: a copy of each document would retain all its strings.
        let foldedToNothing = documents.withUnsafeBufferPointer { documents in
            documents.indices.contains { photo in
                columns.city.codes[photo] == city && documents[photo].city != nil
                    || columns.region.codes[photo] == region && documents[photo].region != nil
                    || columns.country.codes[photo] == country && documents[photo].country != nil
            }
        }
        if foldedToNothing { places.insert("") }
        return places
    }

    /// An engine from parts loaded from a saved file.
    init(index: TextIndex, columns: Columns, facetColumns: FacetColumns, arriving: ArrivingVectors, places: Set<String>, numbers: NumbersByID,
         stacks: Stacks) {
        self.index = index
        self.columns = columns
        self.facetColumns = facetColumns
        vectors = [:]
        self.arriving = arriving
        arrival = VectorArrival(.arriving)
        parser = QueryParser(places: places)
        self.numbers = numbers
        self.stacks = stacks
    }

    /// Photos present (numbers of photos taken out or replaced are not counted).
    public var photoCount: Int { lock.read { numbers.count } }

    /// Bytes held by the text index, the filter columns' numbers and the vectors (strings not counted).
    public var memoryBytes: Int {
        lock.read { index.memoryBytes + vectors.values.reduce(0) { $0 + $1.memoryBytes } + columns.count * 40 + facetColumns.memoryBytes }
    }

    /// The models it has vectors of, those still arriving included (a query's vector is worth making meanwhile).
    public var vectorModels: [String] { lock.read { vectorsLost ? [] : arriving?.models ?? Array(vectors.keys) } }

    public func parse(_ text: String) throws(QueryError) -> Query { try lock.read { () throws(QueryError) in try parser.parse(text) } }

    /// - Parameters:
    ///   - queryVectors: the query's meaning by model name (from the worker's `embed`); semantic search runs
    ///     for those the library has vectors of.
    ///   - cursor: from the previous page's result.
    ///   - stacked: a stack's photos as one hit (its shown member, found when any member matches); false lists each.
    public func search(_ text: String, limit: Int = 30, cursor: String? = nil, queryVectors: [String: [Float]] = [:],
                       facets: Bool = true, stacked: Bool = true) throws(QueryError) -> SearchResult {
        lock.lockRead()
        defer { lock.unlock() }
        let query = try parser.parse(text)
        let offset = try Self.offset(of: cursor)
        let limit = Self.pageSize(limit)
        let matcher = TermMatcher(index: index)
        let positive = query.words.filter { !$0.excluded }
        // Each word takes a bit of a 32-bit mask during a search; the last bit marks excluded words.
        guard positive.count <= 31 else { throw QueryError(message: "a query can hold 31 words at most") }
        var groups = Self.wordGroups(positive, matcher, tiered: true)
        let negatives = query.words.filter(\.excluded).map {
            WordGroup(typed: $0.alternatives, expansions: $0.alternatives.flatMap { matcher.expand($0, asPrefix: false, typos: false) })
        }
        let filters = query.filters.map(CompiledFilter.init)
        let excludedPhrases = query.excludedPhrases.map { $0.map { index.exact(Array($0.utf8)) } }
        // A capture-time filter (a year) is listed from its column once: asked of each candidate, it read a
        // million photos' times out of order (`park 2003` tried up to 200,000 candidates). Other filters are
        // listed only when the meaning needs them (see `meaning`).
        let listed = filters.contains(where: \.readsTakenColumn) ? columns.photos(passing: filters) : nil
        let passingSet = listed.map { PhotoSet($0, count: columns.count) }
        let keep: ((Int) -> Bool)? = filters.isEmpty && query.phrases.isEmpty && excludedPhrases.isEmpty ? nil : {
            [columns, index] document in
            (passingSet?.contains(document) ?? columns.passes(filters, document)) && query.phrases.allSatisfy { columns.holds($0, document) }
                && !excludedPhrases.contains { terms in terms.allSatisfy { $0.map { index.holds($0, document) } ?? false } }
        }
        let wanted = offset + limit
        var matched: [Int]? = facets ? [] : nil
        var ranked: [(document: Int, score: Float)]
        var total: Int
        var totalIsEstimate = false
        let scratch = scratchPool.take(documents: columns.count, terms: index.terms.count)
        defer { scratchPool.give(scratch) }
        let blank = text.trimmingCharacters(in: .whitespaces).isEmpty
        if groups.isEmpty && negatives.isEmpty && keep == nil && !blank {
            // Typed, but nothing in it can be searched ("🐱", "!!"): that is no reason to list the whole library.
            (total, ranked) = (0, [])
        } else if groups.isEmpty {
            (total, ranked) = filterOnly(keep: keep ?? { _ in true }, negatives: negatives, limit: max(wanted, 100), matched: &matched)
        } else {
            var result = TextSearch(index: index).run(groups, excluding: negatives, keep: keep, scratch: scratch,
                                                     recency: columns.recency, limit: max(wanted, 100), matched: &matched)
            // The words as typed found nothing together: let completions and typos in after all ("bech sunset",
            // where some photo happens to hold "bech"). Not when the words did match and filters or excluded
            // words left nothing: "beach year:2008" must not turn into "bench".
            if result.total == 0 && (keep == nil && negatives.isEmpty || !wordsMatch(groups, scratch)) {
                let wider = Self.wordGroups(positive, matcher, tiered: false)
                if wider.map(\.expansions.count) != groups.map(\.expansions.count) {
                    groups = wider
                    result = TextSearch(index: index).run(groups, excluding: negatives, keep: keep, scratch: scratch,
                                                          recency: columns.recency, limit: max(wanted, 100), matched: &matched)
                }
            }
            total = result.total
            totalIsEstimate = !result.exact
            ranked = result.hits.map { ($0.document, $0.score) }
        }
        let indexes = positive.isEmpty ? [] : meaningIndexes(queryVectors)
        // Without meaning every hit came from the words; with it, a photo beyond the words' best few can still
        // hold every word. One rule for "found by its words" everywhere.
        let textual = indexes.isEmpty ? [] : Set(ranked.map(\.document))
        let wordHit = { (document: Int) in
            indexes.isEmpty || groups.isEmpty || textual.contains(document) || self.holdsEveryWord(document, groups)
        }
        var semantic = [Int: Float]()
        var mightMatch = 0
        if !indexes.isEmpty {
            let passing = listed.map { listed in { listed } } ?? (filters.isEmpty ? nil : { [columns] in columns.photos(passing: filters) })
            let found = meaning(indexes, cutoff: nil, keep: keep ?? { _ in true }, passing: passing, negatives: negatives,
                                limit: max(wanted, 100))
            semantic = Dictionary(found.top.map { ($0.document, $0.score) }) { first, _ in first }
            // Counted over every guess, not the page's: the count must not change from page to page.
            mightMatch = found.admitted.filter { !wordHit($0) }.count
            total += mightMatch
            ranked = Self.fuse(text: ranked, meaning: found.top, wordHit: wordHit)
        }
        // Each stack once, where its best-ranked member ranks; the member that matched says why. The stack shows
        // its own face when that matched too, else the member that did: `type:video` shows a Live Photo's video.
        var shownFor = [Int: Int]()
        if stacked {
            var seen = Set<Int>()
            let before = ranked.count
            let matched = Set(ranked.map(\.document))
            ranked = ranked.compactMap { found in
                let face = stacks.shown(for: found.document)
                guard seen.insert(face).inserted else { return nil }
                let shown = matched.contains(face) ? face : found.document
                shownFor[shown] = found.document
                return (shown, found.score)
            }
            total -= before - ranked.count
        }
        let page = ranked.dropFirst(offset).prefix(limit)
        let hits = page.map { found in
            let matched = shownFor[found.document] ?? found.document
            return hit(for: found.document, score: found.score, groups: groups, semantic: semantic[matched],
                       match: wordHit(matched) ? .words : .meaning, matched: matched)
        }
        var message: String?
        let typed = text.trimmingCharacters(in: .whitespaces)
        if total == mightMatch, mightMatch > 0 {
            message = "no photo holds “\(typed)”; \(mightMatch == 1 ? "one" : String(mightMatch)) might match by meaning"
        } else if total == 0 {
            message = blank ? "type a word, or a filter such as year:2019 (see help)"
                : groups.isEmpty && negatives.isEmpty && keep == nil ? "nothing to search for in “\(typed)”: type a word, or a filter such as year:2019"
                : "no photo matches “\(typed)”"
        }
        // Facets count the sure matches only: guesses are not what the library holds for the query.
        return SearchResult(total: total, totalIsEstimate: totalIsEstimate, hits: hits, mightMatch: mightMatch,
                            facets: facets ? facetColumns.counts((matched ?? []).prefix(Self.facetSample), labels: columns.topLabels, people: columns.people) : [:], understood: query.understood, message: message,
                            cursor: offset + limit < ranked.count ? String(offset + limit) : nil)
    }

    /// Whether the words alone, without filters or excluded words, match any photo.
    private func wordsMatch(_ groups: [WordGroup], _ scratch: TextSearch.Scratch) -> Bool {
        var none: [Int]?
        return TextSearch(index: index).run(groups, excluding: [], keep: nil, scratch: scratch, recency: columns.recency,
                                            limit: 1, matched: &none).total > 0
    }

    /// Each query word with the index words it may stand for; tiered: only its best tier (see `TermMatcher`).
    private static func wordGroups(_ words: [Query.Words], _ matcher: TermMatcher, tiered: Bool) -> [WordGroup] {
        words.map { words in
            WordGroup(typed: words.alternatives,
                      // Only the word being typed (the last alternative) is a prefix.
                      expansions: words.alternatives.enumerated().flatMap { position, word in
                          matcher.expand(word, asPrefix: words.prefix && position == words.alternatives.count - 1, tiered: tiered)
                      }.sorted { $0.term < $1.term },
                      fields: words.field.map(\.bit))
        }
    }

    /// The most hits one page holds; any asked-for size is brought within 0...this.
    public static let largestPage = 10_000

    static func pageSize(_ limit: Int) -> Int { min(max(limit, 0), largestPage) }

    /// Where a page starts: a cursor is a count of hits this engine handed out (a whole number, at most a
    /// billion); anything else is refused in words rather than read as the first page.
    public static func offset(of cursor: String?) throws(QueryError) -> Int {
        guard let cursor, !cursor.isEmpty else { return 0 }
        guard cursor.utf8.count <= 10, cursor.utf8.allSatisfy({ (48...57).contains($0) }), let offset = Int(cursor),
              offset <= 1_000_000_000 else {
            throw QueryError(message: "the cursor '\(cursor.prefix(20))' is not one a search gave: leave it out for the first page")
        }
        return offset
    }

    /// Photos like this one: its nearest neighbours by meaning.
    public func similar(to id: Int64, limit: Int = 30) -> SearchResult {
        lock.lockRead()
        defer { lock.unlock() }
        let limit = Self.pageSize(limit)
        guard let document = numbers[id],
              let vectors = vectors.values.sorted(by: { $0.model < $1.model }).first(where: { $0.hasVector(document) }) else {
            return SearchResult(total: 0, totalIsEstimate: false, hits: [], mightMatch: 0, facets: [:], understood: [:],
                                message: arrival.missing ?? "this photo has no vector yet", cursor: nil)
        }
        let row = vectors.vector(document)
        let found = meaning([(vectors, row)], cutoff: Self.alikeFloor, keep: { $0 != document }, passing: nil, negatives: [], limit: limit).top
        let hits = found.map { hit(for: $0.document, score: $0.score, groups: [], semantic: $0.score, match: .meaning) }
        return SearchResult(total: hits.count, totalIsEstimate: false, hits: hits, mightMatch: 0, facets: [:],
                            understood: ["like": columns.paths[document]],
                            message: hits.isEmpty ? "no photo is close enough" : nil, cursor: nil)
    }

    /// Photos holding a word the query excludes.
    private func excluded(by negatives: [WordGroup]) -> Set<Int> {
        Set(negatives.flatMap(\.expansions).flatMap { expansion in
            index.postings(expansion.term).map { Int(index.postingDocs[$0]) } + (index.tails[expansion.term]?.docs.map(Int.init) ?? [])
        })
    }

    private func filterOnly(keep: (Int) -> Bool, negatives: [WordGroup], limit: Int,
                            matched: inout [Int]?) -> (Int, [(document: Int, score: Float)]) {
        let excluded = excluded(by: negatives)
        var top = TopHits(limit: limit, recency: columns.recency)
        var total = 0
        for document in 0..<columns.count where index.isPresent(document) && !excluded.contains(document) && keep(document) {
            total += 1
            matched?.append(document)
            top.offer(document, 0)
        }
        return (total, top.sorted().map { ($0.document, $0.score) })
    }

    /// The indexes a query's vectors serve: a model's vector serves every index of that model
    /// ("all-MiniLM-L6-v2" and "all-MiniLM-L6-v2:labels").
    private func meaningIndexes(_ queryVectors: [String: [Float]]) -> [(VectorIndex, [Float])] {
        queryVectors.flatMap { model, vector in
            vectors.values.filter { ($0.model == model || $0.model.hasPrefix(model + ":")) && vector.count == $0.dimensions }
                .map { ($0, vector) }
        }
    }

    /// Each photo's closeness to the query over the given indexes, by photo number, leaving out photos without a
    /// vector. Admitted: clears `cutoff` in some index, or when nil, the calibrated `MeaningCutoff` of its model.
    /// - Parameter nearest: where an index has neighbourhoods (a large library), only its nearest this many photos
    ///   that `accept` lets through are scored, against a spread estimated from a sample; nil scores every photo.
    /// - Parameter passing: the photos `accept` can let through, listed from the filters' columns (nil: no filter).
    private func scores(_ indexes: [(VectorIndex, [Float])], cutoff: Float?, nearest: Int? = nil,
                        accept: (Int) -> Bool = { _ in true }, passing: (() -> [Int])? = nil) -> [(document: Int, score: MeaningScore)] {
        let admits = { (vectors: VectorIndex, similarity: Float, standOut: Float) in
            cutoff.map { similarity >= $0 } ?? (standOut >= MeaningCutoff.standOut && similarity >= MeaningCutoff.ceiling(vectors.model))
        }
        guard let nearest, indexes.contains(where: { $0.0.isApproximate }) else {
            var scores = [MeaningScore](repeating: MeaningScore(similarity: -1, standOut: -.infinity, admitted: false), count: columns.count)
            for (vectors, query) in indexes {
                let similarities = vectors.similarities(query)
                let spread = vectors.isApproximate ? vectors.spread(query) : MeaningCutoff.Spread(similarities.lazy.map(\.similarity))
                for (document, similarity) in similarities {
                    let standOut = spread.standOut(similarity)
                    scores[document].similarity = max(scores[document].similarity, similarity)
                    scores[document].standOut = max(scores[document].standOut, standOut)
                    if admits(vectors, similarity, standOut) { scores[document].admitted = true }
                }
            }
            return scores.enumerated().filter { $0.element.similarity > -1 }.map { ($0.offset, $0.element) }
        }
        var scores = [Int: MeaningScore]()
        for (vectors, query) in indexes {
            let spread = vectors.spread(query)
            for (document, similarity) in vectors.nearest(query, limit: nearest, accept: accept, passing: passing) {
                let standOut = spread.standOut(similarity)
                var score = scores[document] ?? MeaningScore(similarity: -1, standOut: -.infinity, admitted: false)
                score.similarity = max(score.similarity, similarity)
                score.standOut = max(score.standOut, standOut)
                score.admitted = score.admitted || admits(vectors, similarity, standOut)
                scores[document] = score
            }
        }
        return scores.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Every photo's closeness to the query's meaning, by photo id: what `eval` calibrates the cut-off on.
    public func meaningScores(_ queryVectors: [String: [Float]]) -> [Int64: MeaningScore] {
        lock.lockRead()
        defer { lock.unlock() }
        let scores = scores(meaningIndexes(queryVectors), cutoff: nil)
        return Dictionary(scores.map { (columns.ids[$0.document], $0.score) }) { first, _ in first }
    }

    /// Photos whose meaning clears the cut-off: the best by similarity over the given indexes, and all of them
    /// (in a library large enough for neighbourhoods, all of them among each index's nearest `limit`).
    /// - Parameter cutoff: the least similarity shown; nil for the query words' calibrated one.
    /// - Parameter passing: the photos the filters `keep` applies pass, listed from their columns (nil: no filter).
    private func meaning(_ indexes: [(VectorIndex, [Float])], cutoff: Float?, keep: (Int) -> Bool, passing: (() -> [Int])?,
                         negatives: [WordGroup], limit: Int) -> (top: [(document: Int, score: Float)], admitted: [Int]) {
        let excluded = excluded(by: negatives)
        // Asked of every row read: without excluded words, no set is hashed per row.
        let accept = excluded.isEmpty ? keep : { !excluded.contains($0) && keep($0) }
        let scores = scores(indexes, cutoff: cutoff, nearest: limit, accept: accept, passing: passing)
        var top = TopHits(limit: limit, recency: columns.recency)
        var admitted = [Int]()
        for (document, score) in scores where score.admitted && !excluded.contains(document) && keep(document) {
            top.offer(document, score.similarity)
            admitted.append(document)
        }
        return (top.sorted().map { ($0.document, $0.score) }, admitted)
    }

    /// Reciprocal-rank fusion of the word ranking and the meaning ranking; a photo holding every word keeps a
    /// head start, so it always ranks above a photo found by meaning alone.
    static func fuse(text: [(document: Int, score: Float)], meaning: [(document: Int, score: Float)],
                     wordHit: (Int) -> Bool) -> [(document: Int, score: Float)] {
        var fused = [Int: Float]()
        for (rank, hit) in text.enumerated() { fused[hit.document, default: 0] += 1 / Float(60 + rank) }
        for (rank, hit) in meaning.enumerated() { fused[hit.document, default: 0] += 1 / Float(60 + rank) }
        for document in fused.keys where wordHit(document) { fused[document]! += 1 }
        return fused.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// Whether the photo holds a match for every word of the query (in the fields each asks for).
    private func holdsEveryWord(_ document: Int, _ groups: [WordGroup]) -> Bool {
        !groups.isEmpty && wordMatches(document, groups).count == groups.count
    }

    /// The best match of each query word in the photo, in query order; words it does not hold are left out.
    private func wordMatches(_ document: Int, _ groups: [WordGroup]) -> [WordMatch] {
        var matches = [WordMatch]()
        for group in groups {
            var best: (value: Float, match: WordMatch)?
            for slot in index.forwardStart[document]..<index.forwardStart[document + 1] {
                let term = Int(index.forwardTerms[slot])
                guard let expansion = group.expansion(of: term),
                      index.forwardFields[slot] & (group.fields ?? 0xFF) != 0 else { continue }
                let value = expansion.quality * TextIndex.weight(index.forwardWeights[slot])
                // A match whose weight rounds to nothing is still a match, as the word search counts it.
                if best == nil || value > best!.value {
                    let fields = SearchField.allCases.filter { index.forwardFields[slot] & $0.bit != 0 }.map(\.name)
                    best = (value, WordMatch(typed: group.typed.joined(separator: " | "), matched: index.terms[term],
                                             kind: expansion.kind, fields: fields))
                }
            }
            if let match = best?.match { matches.append(match) }
        }
        return matches
    }

    /// - Parameter matched: the member of the photo's stack that was found, when not the photo itself.
    private func hit(for document: Int, score: Float, groups: [WordGroup], semantic: Float?, match: HitSource,
                     matched: Int? = nil) -> SearchHit {
        let matches = wordMatches(matched ?? document, groups)
        var why = [String]()
        for match in matches {
            let how = switch match.kind {
            case .exact: ""
            case .prefix: " (beginning)"
            case .typo: " (typo)"
            case .singular: " (singular)"
            case .plural: " (plural)"
            }
            let word = match.typed == match.matched ? match.matched : "\(match.typed) → \(match.matched)"
            why.append("\(word): \(match.fields.joined(separator: ", "))\(how)")
        }
        if let semantic { why.append(String(format: "meaning: %.2f", semantic)) }
        if groups.isEmpty && semantic == nil { why.append("matches the filters") }
        return SearchHit(id: columns.ids[document], path: columns.paths[document], score: Double(score),
                         caption: columns.captions[document].isEmpty ? nil : columns.captions[document],
                         why: why, matches: matches, semantic: semantic.map(Double.init), match: match,
                         stack: stack(number: document))
    }

    private func stack(number: Int) -> PhotoStack? {
        stacks.stack(of: number).map { stack in
            PhotoStack(kind: stack.kind, members: stack.members.map { columns.paths[$0] }, ids: stack.members.map { columns.ids[$0] })
        }
    }

    /// The stack the photo is in, its shown member first; nil when it stands alone.
    public func stack(of id: Int64) -> PhotoStack? {
        lock.read { numbers[id].flatMap(stack(number:)) }
    }
}

extension Columns {
    /// Whether a phrase's words stand together in the photo's caption, text, labels, place, file name or people.
    func holds(_ phrase: [String], _ document: Int) -> Bool {
        let haystack = " " + Folding.words([captions[document], topLabels[document].joined(separator: " , "),
                                            city[document], country[document], names[document],
                                            people[document].joined(separator: " , ")].joined(separator: " , "))
            .joined(separator: " ") + " "
        return haystack.contains(" " + phrase.joined(separator: " ") + " ")
    }
}

/// Scratch arrays as big as the library, reused across searches instead of allocated per query.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free = [TextSearch.Scratch]()

    func take(documents: Int, terms: Int) -> TextSearch.Scratch {
        guard let scratch = lock.withLock({ free.popLast() }) else { return TextSearch.Scratch(documents: documents, terms: terms) }
        scratch.grow(documents: documents, terms: terms)
        return scratch
    }

    func give(_ scratch: TextSearch.Scratch) { lock.withLock { free.append(scratch) } }
}
