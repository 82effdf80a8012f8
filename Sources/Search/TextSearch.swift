/// One word of the query as the index sees it: every index word it may stand for (the alternatives of `a | b`
/// together), or a word whose photos are left out (`-word`).
struct WordGroup {
    var typed: [String]
    var expansions: [Expansion]
    /// Fields the word must be found in (`label:`, `text:`); all when nil.
    var fields: UInt8?

    var postingCount: Int { expansions.reduce(0) { $0 + $1.postings } }

    /// The expansion through an index word; `expansions` is sorted by word.
    func expansion(of term: Int) -> Expansion? {
        var low = 0, high = expansions.count
        while low < high {
            let middle = (low + high) / 2
            if expansions[middle].term < term { low = middle + 1 } else { high = middle }
        }
        return low < expansions.count && expansions[low].term == term ? expansions[low] : nil
    }
}

/// Why one photo matched one query word.
public struct WordMatch: Sendable, Codable, Equatable {
    public var typed: String
    public var matched: String
    public var kind: MatchKind
    public var fields: [String]
}

/// A photo the words matched, with its score.
struct TextHit {
    var document: Int
    var score: Float
}

/// Ranks photos for a set of word groups: every group must match (AND), a negative group must not. The group
/// with the fewest postings drives; the others are tested through each candidate's own word list. When even
/// the rarest word is common, only its best `candidateBudget` photos are ranked (its lists are best first) and
/// the total is estimated from them: the work is bounded, never the whole match list of a common word.
struct TextSearch {
    let index: TextIndex
    static let candidateBudget = 5_000
    /// However rare the combination, no more candidates than this are ranked.
    static let candidateCeiling = 200_000

    /// One photo's best score in a search, and a stamp saying which search wrote it: side by side, so a photo
    /// seen costs one cache miss, not two (at a million photos each is a miss).
    struct Mark {
        var stamp: UInt32
        var best: Float
    }

    /// Scratch space reused by searches on one thread: a mark per photo, and per word its groups and quality.
    final class Scratch {
        var marks: [Mark]
        var generation: UInt32 = 0
        var touched = [Int]()
        var members: [UInt32]
        var quality: [Float]

        init(documents: Int, terms: Int) {
            marks = [Mark](repeating: Mark(stamp: 0, best: 0), count: documents)
            members = [UInt32](repeating: 0, count: terms)
            quality = [Float](repeating: 0, count: terms)
        }

        /// Room for photos and words added to the engine since this scratch was made.
        func grow(documents: Int, terms: Int) {
            if marks.count < documents { marks += repeatElement(Mark(stamp: 0, best: 0), count: documents - marks.count) }
            if members.count < terms {
                members += repeatElement(0, count: terms - members.count)
                quality += repeatElement(0, count: terms - quality.count)
            }
        }
    }

    /// Photos matching every group and passing `keep`, best first; `total` counts all of them.
    func run(_ groups: [WordGroup], excluding negatives: [WordGroup], keep: ((Int) -> Bool)?, scratch: Scratch,
             recency: [UInt32], limit: Int, matched: inout [Int]?) -> (total: Int, exact: Bool, hits: [TextHit]) {
        guard let driver = groups.indices.min(by: { groups[$0].postingCount < groups[$1].postingCount }) else {
            return (0, true, [])
        }
        scratch.generation &+= 1
        if scratch.generation == 0 {  // wrapped: old stamps could pass for new ones
            for index in scratch.marks.indices { scratch.marks[index].stamp = 0 }
            scratch.generation = 1
        }
        let generation = scratch.generation
        // The arrays leave the class for the hot loops: element access on a class property pays an
        // exclusivity check each time.
        var marks = scratch.marks, touched = scratch.touched, members = scratch.members, quality = scratch.quality
        scratch.marks = []; scratch.touched = []; scratch.members = []; scratch.quality = []
        defer { (scratch.marks, scratch.touched, scratch.members, scratch.quality) = (marks, touched, members, quality) }
        touched.removeAll(keepingCapacity: true)
        let driverFields = groups[driver].fields ?? 0xFF
        // A sequential walk is cheaper than a merge: it is used up to twice the budget.
        let exhaustive = groups[driver].postingCount <= 2 * Self.candidateBudget
        func visit(_ document: Int, _ weight: UInt8, _ fields: UInt8, _ quality: Float) {
            guard fields & driverFields != 0, index.isPresent(document) else { return }
            let score = TextIndex.weight(weight) * quality
            if marks[document].stamp != generation {
                marks[document] = Mark(stamp: generation, best: score)
                touched.append(document)
            } else if score > marks[document].best {
                marks[document].best = score
            }
        }
        // The other groups: per index word a bit for each group it belongs to (the top bit: excluded; 31 groups
        // at most) and its match quality; then each candidate's own words are read once.
        let others = groups.indices.filter { $0 != driver }.map { groups[$0] }
        let otherFields = others.map { $0.fields ?? 0xFF }
        var top = TopHits(limit: limit, recency: recency)
        var total = 0
        Self.mark(others, negatives, &members, &quality)
        defer { Self.unmark(others + negatives, &members, &quality) }
        var groupBest = [Float](repeating: 0, count: others.count)
        let checkWords = !others.isEmpty || !negatives.isEmpty
        // Each candidate's score, where its word list lies and its first word, read for all candidates before any
        // is ranked: these reads miss the cache, and one after another they are waited for together.
        var spans = [(score: Float, start: Int, end: Int, first: UInt32)]()
        func rank(_ candidates: [Int]) {
            spans.removeAll(keepingCapacity: true)
            for document in candidates {
                let start = index.forwardStart[document], end = index.forwardStart[document + 1]
                spans.append((marks[document].best, start, end, checkWords && start < end ? index.forwardTerms[start] : 0))
            }
            candidates: for (document, span) in zip(candidates, spans) {
                var score = span.score
                if checkWords {
                    for group in groupBest.indices { groupBest[group] = 0 }
                    for slot in span.start..<span.end {
                        let term = Int(slot == span.start ? span.first : index.forwardTerms[slot])
                        let bits = members[term]
                        if bits == 0 { continue }
                        if bits & (1 << 31) != 0 { continue candidates }
                        let value = quality[term] * TextIndex.weight(index.forwardWeights[slot])
                        let fields = index.forwardFields[slot]
                        for group in groupBest.indices where bits & (1 << UInt32(group)) != 0 && fields & otherFields[group] != 0 {
                            groupBest[group] = max(groupBest[group], value)
                        }
                    }
                    for value in groupBest {
                        if value == 0 { continue candidates }
                        score += value
                    }
                }
                if let keep, !keep(document) { continue }
                total += 1
                matched?.append(document)
                top.offer(document, score)
            }
        }
        if exhaustive {
            for expansion in groups[driver].expansions {
                for posting in index.postings(expansion.term) {
                    visit(Int(index.postingDocs[posting]), index.postingWeights[posting], index.postingFields[posting], expansion.quality)
                }
                guard let tail = index.tails[expansion.term] else { continue }
                for slot in tail.docs.indices { visit(Int(tail.docs[slot]), tail.weights[slot], tail.fields[slot], expansion.quality) }
            }
            rank(touched)
            return (total, true, top.sorted())
        }
        // Rounds of the driver's next best candidates, until a page of hits is found (rarer combinations need
        // more rounds) or the lists end.
        var cursors = CursorHeap(index: index, recency: recency, expansions: groups[driver].expansions)
        var examined = 0
        var batch = [(document: Int, weight: UInt8, fields: UInt8, quality: Float)]()
        repeat {
            touched.removeAll(keepingCapacity: true)
            // Postings are taken off the lists a batch at a time, then visited: each visit's mark misses the cache,
            // and with nothing between them the misses overlap. A batch is never more than the room left (a visit
            // adds one candidate at most), so a round holds the same candidates as visiting one posting at a time.
            while touched.count < Self.candidateBudget {
                batch.removeAll(keepingCapacity: true)
                while batch.count < Self.candidateBudget - touched.count, let next = cursors.pop() { batch.append(next) }
                if batch.isEmpty { break }
                for next in batch { visit(next.document, next.weight, next.fields, next.quality) }
            }
            examined += touched.count
            rank(touched)
        } while !touched.isEmpty && top.count < limit && examined < Self.candidateCeiling
        if cursors.isEmpty { return (total, true, top.sorted()) }
        // The share of the ranked candidates that matched, applied to all the driver's photos.
        let estimate = Double(total) / Double(max(1, examined)) * Double(groups[driver].postingCount)
        return (max(total, Int(estimate.rounded())), false, top.sorted())
    }

    private static func mark(_ groups: [WordGroup], _ negatives: [WordGroup], _ members: inout [UInt32], _ quality: inout [Float]) {
        for (position, group) in groups.enumerated() {
            for expansion in group.expansions {
                members[expansion.term] |= 1 << UInt32(position)
                quality[expansion.term] = max(quality[expansion.term], expansion.quality)
            }
        }
        for group in negatives { for expansion in group.expansions { members[expansion.term] |= 1 << 31 } }
    }

    private static func unmark(_ groups: [WordGroup], _ members: inout [UInt32], _ quality: inout [Float]) {
        for group in groups {
            for expansion in group.expansions {
                members[expansion.term] = 0
                quality[expansion.term] = 0
            }
        }
    }
}

/// The best `limit` photos seen so far: a min-heap on (score, recency), so ties go to the newer photo.
struct TopHits {
    let limit: Int
    let recency: [UInt32]
    private var heap = [TextHit]()

    init(limit: Int, recency: [UInt32]) {
        self.limit = limit
        self.recency = recency
    }

    private func less(_ a: TextHit, _ b: TextHit) -> Bool {
        a.score != b.score ? a.score < b.score : recency[a.document] < recency[b.document]
    }

    mutating func offer(_ document: Int, _ score: Float) {
        let hit = TextHit(document: document, score: score)
        if heap.count < limit {
            heap.append(hit)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard less(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if limit > 0, less(heap[0], hit) {
            heap[0] = hit
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    func sorted() -> [TextHit] { heap.sorted { less($1, $0) } }

    var count: Int { heap.count }
}

/// The postings of several words merged best first (score, then newest): one cursor per word in a heap, each
/// holding its current posting's score and date so comparisons read no other memory.
struct CursorHeap {
    struct Cursor {
        var score: Float
        var recency: UInt32
        var position: Int
        let end: Int
        let quality: Float
        /// Postings added after the build are walked from `tails[tail]`; -1: the built postings. A number, not the
        /// list itself: a cursor holding arrays was retained and released at every move of the heap.
        let tail: Int
    }

    let index: TextIndex
    let recency: [UInt32]
    private var heap: [Cursor] = []
    private var tails: [PostingTail] = []

    var isEmpty: Bool { heap.isEmpty }

    init(index: TextIndex, recency: [UInt32], expansions: [Expansion]) {
        self.index = index
        self.recency = recency
        heap.reserveCapacity(expansions.count)
        for expansion in expansions {
            let postings = index.postings(expansion.term)
            if !postings.isEmpty {
                add(Cursor(score: 0, recency: 0, position: postings.lowerBound, end: postings.upperBound, quality: expansion.quality, tail: -1))
            }
            if let tail = index.tails[expansion.term] {
                tails.append(tail)
                add(Cursor(score: 0, recency: 0, position: 0, end: tail.docs.count, quality: expansion.quality, tail: tails.count - 1))
            }
        }
    }

    private mutating func add(_ cursor: Cursor) {
        var cursor = cursor
        load(&cursor)
        push(cursor)
    }

    private func posting(_ cursor: Cursor) -> (document: Int, weight: UInt8, fields: UInt8) {
        if cursor.tail >= 0 {
            let tail = tails[cursor.tail]
            return (Int(tail.docs[cursor.position]), tail.weights[cursor.position], tail.fields[cursor.position])
        }
        return (Int(index.postingDocs[cursor.position]), index.postingWeights[cursor.position], index.postingFields[cursor.position])
    }

    private func load(_ cursor: inout Cursor) {
        let current = posting(cursor)
        cursor.score = TextIndex.weight(current.weight) * cursor.quality
        cursor.recency = recency[current.document]
    }

    private static func before(_ a: Cursor, _ b: Cursor) -> Bool {
        a.score != b.score ? a.score > b.score : a.recency > b.recency
    }

    private mutating func push(_ cursor: Cursor) {
        heap.append(cursor)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The next best posting and the quality of the word it came through.
    mutating func pop() -> (document: Int, weight: UInt8, fields: UInt8, quality: Float)? {
        guard var top = heap.first else { return nil }
        let current = posting(top)
        let answer = (current.document, current.weight, current.fields, top.quality)
        top.position += 1
        if top.position < top.end {
            load(&top)
            heap[0] = top
        } else {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, Self.before(heap[left], heap[first]) { first = left }
            if right < heap.count, Self.before(heap[right], heap[first]) { first = right }
            if first == parent { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return answer
    }
}
