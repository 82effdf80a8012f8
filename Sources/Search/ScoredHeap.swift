/// A binary heap of rows (or neighbourhoods) by similarity, the worst of the best found so far on top. Equal
/// similarities are ordered by number (the lower is better), so which rows are kept does not depend on the order
/// they were read in (the rows of a neighbourhood move when others leave it).
struct ScoredHeap {
    private(set) var items: [(key: Float, node: UInt32)] = []

    init(capacity: Int = 0) { items.reserveCapacity(capacity) }

    var count: Int { items.count }
    var top: (key: Float, node: UInt32) { items[0] }

    @inline(__always)
    private static func worse(_ a: (key: Float, node: UInt32), _ b: (key: Float, node: UInt32)) -> Bool {
        a.key != b.key ? a.key < b.key : a.node > b.node
    }

    /// Keeps the item if fewer than `limit` are kept or it is better than the worst kept.
    @inline(__always)
    mutating func offer(_ key: Float, _ node: UInt32, limit: Int) {
        if items.count < limit { push(key, node) } else if limit > 0 && Self.worse(items[0], (key, node)) { replaceTop(key, node) }
    }

    mutating func push(_ key: Float, _ node: UInt32) {
        items.append((key, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Pops the top and pushes in one step (the heap stays the same size).
    mutating func replaceTop(_ key: Float, _ node: UInt32) {
        items[0] = (key, node)
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < items.count && Self.worse(items[left], items[worst]) { worst = left }
            if right < items.count && Self.worse(items[right], items[worst]) { worst = right }
            if worst == parent { return }
            items.swapAt(parent, worst)
            parent = worst
        }
    }

    /// Every item, largest key first (ties: lower node first).
    func drainedBestFirst() -> [(key: Float, node: UInt32)] {
        items.sorted { Self.worse($1, $0) }
    }
}
