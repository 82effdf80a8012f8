import Foundation

/// A navigable small-world graph over a `VectorIndex`'s rows (HNSW, Malkov and Yashunin): every row with a
/// vector links to near rows on level 0, and one row in `width` also on level 1, one in `width`² on level 2 and
/// so on, where a search starts and takes long strides before walking level 0 best first.
public struct NeighbourGraph: Sendable {
    /// Links a row keeps on each level above 0, and chooses for itself on every level.
    static let width = 16
    /// Links a row keeps on level 0 (others link to it too).
    static let baseWidth = 32
    /// Candidates a row looks at when it is linked: more makes a better graph and a slower build.
    static let buildBreadth = 100
    static let none = UInt32.max
    static let highestLevel = 12

    /// `baseWidth` slots per row on level 0, `none` where empty.
    public private(set) var baseLinks: [UInt32]
    /// Per row: where its links on levels 1 and up start in `upperLinks` (`width` slots a level), or `none`.
    public private(set) var upperStart: [UInt32]
    public private(set) var upperLinks: [UInt32]
    /// The row every search starts from (one on the highest level), `none` while no row is linked.
    public private(set) var entry: UInt32

    init(rows: Int) {
        baseLinks = [UInt32](repeating: Self.none, count: rows * Self.baseWidth)
        upperStart = [UInt32](repeating: Self.none, count: rows)
        upperLinks = []
        entry = Self.none
    }

    /// Takes back a graph kept on disk (the arrays above): nothing is rebuilt.
    public init(baseLinks: [UInt32], upperStart: [UInt32], upperLinks: [UInt32], entry: UInt32) {
        precondition(baseLinks.count == upperStart.count * Self.baseWidth, "\(baseLinks.count) level-0 links for \(upperStart.count) rows")
        precondition(entry == Self.none || Int(entry) < upperStart.count, "entry \(entry) beyond \(upperStart.count) rows")
        self.baseLinks = baseLinks
        self.upperStart = upperStart
        self.upperLinks = upperLinks
        self.entry = entry
    }

    var rowCount: Int { upperStart.count }
    var memoryBytes: Int { (baseLinks.count + upperStart.count + upperLinks.count) * 4 }

    /// A row's highest level, from its number alone (a hash, geometrically distributed): the same rows
    /// stand on the upper levels however the graph was built.
    static func level(of row: Int) -> Int {
        var hash = UInt64(row) &+ 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        let uniform = (Double(hash >> 11) + 1) / 9_007_199_254_740_992  // in (0, 1]
        return min(highestLevel, Int(-log(uniform) / log(Double(width))))
    }

    /// Rows appended without a vector: no links.
    mutating func grow(to rows: Int) {
        guard rows > rowCount else { return }
        baseLinks.append(contentsOf: repeatElement(Self.none, count: (rows - rowCount) * Self.baseWidth))
        upperStart.append(contentsOf: repeatElement(Self.none, count: rows - rowCount))
    }

    /// The `breadth` accepted rows nearest the query (by the int8 query), best first; nil when the walk gave
    /// up before finding `limit` (a filter few rows pass), so the caller scans instead.
    func nearest(_ query: QuantisedQuery, _ rows: QuantisedRows, limit: Int, breadth: Int, visited: VisitMarks,
                 accept: (Int) -> Bool) -> [(row: Int, similarity: Float)]? {
        guard entry != Self.none else { return [] }
        return withLinks { links in
            var start = (similarity: rows.similarity(query, Int(entry)), node: entry)
            for level in stride(from: Self.level(of: Int(entry)), to: 0, by: -1) {
                start = links.greedy(query, rows, from: start, level: level)
            }
            let walk = links.search(query, rows, from: [start], level: 0, breadth: breadth, visited: visited,
                                    visitLimit: max(30_000, breadth * 64)) { rows.scales[$0] > 0 && accept($0) }
            guard walk.complete || walk.found.count >= limit else { return nil }
            return walk.found.map { (Int($0.node), $0.key) }
        }
    }

    private func withLinks<T>(_ body: (Links) -> T) -> T {
        baseLinks.withUnsafeBufferPointer { base in
            upperStart.withUnsafeBufferPointer { starts in
                upperLinks.withUnsafeBufferPointer { upper in
                    body(Links(base: UnsafeMutablePointer(mutating: base.baseAddress!),
                               upperStart: UnsafeMutablePointer(mutating: starts.baseAddress!),
                               upper: UnsafeMutablePointer(mutating: upper.baseAddress ?? UnsafePointer(bitPattern: 8)!)))
                }
            }
        }
    }

    mutating func withMutableLinks<T>(_ body: (Links) -> T) -> T {
        baseLinks.withUnsafeMutableBufferPointer { base in
            upperStart.withUnsafeMutableBufferPointer { starts in
                upperLinks.withUnsafeMutableBufferPointer { upper in
                    body(Links(base: base.baseAddress!, upperStart: starts.baseAddress!,
                               upper: upper.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!))
                }
            }
        }
    }

    /// Gives the row its slots on levels 1 and up, once.
    mutating func makeRoom(for row: Int) {
        let level = Self.level(of: row)
        guard level > 0, upperStart[row] == Self.none else { return }
        upperStart[row] = UInt32(upperLinks.count)
        upperLinks.append(contentsOf: repeatElement(Self.none, count: level * Self.width))
    }

    mutating func setEntry(_ row: Int) { entry = UInt32(row) }
}

/// The graph's link arrays as raw pointers, for walking them without copies and for writing them from the
/// build's threads (each thread writes only the rows it was given).
struct Links: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt32>
    let upperStart: UnsafeMutablePointer<UInt32>
    let upper: UnsafeMutablePointer<UInt32>

    @inline(__always)
    func slots(_ node: Int, _ level: Int) -> UnsafeMutableBufferPointer<UInt32> {
        level == 0
            ? UnsafeMutableBufferPointer(start: base + node * NeighbourGraph.baseWidth, count: NeighbourGraph.baseWidth)
            : UnsafeMutableBufferPointer(start: upper + Int(upperStart[node]) + (level - 1) * NeighbourGraph.width,
                                         count: NeighbourGraph.width)
    }

    /// Climbs to the neighbour most like the query until none is closer (the upper levels).
    func greedy(_ query: QuantisedQuery, _ rows: QuantisedRows, from start: (similarity: Float, node: UInt32),
                level: Int) -> (similarity: Float, node: UInt32) {
        var best = start
        var moved = true
        while moved {
            moved = false
            for link in slots(Int(best.node), level) where link != NeighbourGraph.none {
                let similarity = rows.similarity(query, Int(link))
                if similarity > best.similarity {
                    best = (similarity, link)
                    moved = true
                }
            }
        }
        return best
    }

    /// Best-first walk of one level: the `breadth` accepted nodes most like the query, best first. Rows not
    /// accepted are walked through but not kept. Incomplete when it stopped after `visitLimit` rows.
    func search(_ query: QuantisedQuery, _ rows: QuantisedRows, from starts: [(similarity: Float, node: UInt32)],
                level: Int, breadth: Int, visited: VisitMarks, visitLimit: Int = .max,
                accept: (Int) -> Bool) -> (found: [(key: Float, node: UInt32)], complete: Bool) {
        visited.begin(rows.count)
        var toVisit = ScoredHeap(capacity: breadth * 4)  // keys negated: the most similar on top
        var kept = ScoredHeap(capacity: breadth + 1)  // the least similar kept on top
        for start in starts where visited.visit(start.node) {
            toVisit.push(-start.similarity, start.node)
            if accept(Int(start.node)) { kept.push(start.similarity, start.node) }
        }
        while kept.count > breadth { kept.pop() }
        var visits = 0
        while !toVisit.isEmpty {
            let next = toVisit.pop()
            if kept.count >= breadth && -next.key < kept.top.key { break }
            for link in slots(Int(next.node), level) where link != NeighbourGraph.none && visited.visit(link) {
                visits += 1
                let similarity = rows.similarity(query, Int(link))
                guard kept.count < breadth || similarity > kept.top.key else { continue }
                toVisit.push(-similarity, link)
                if accept(Int(link)) {
                    if kept.count < breadth { kept.push(similarity, link) } else { kept.replaceTop(similarity, link) }
                }
            }
            if visits > visitLimit { return (kept.drainedBestFirst(), false) }
        }
        return (kept.drainedBestFirst(), true)
    }
}
