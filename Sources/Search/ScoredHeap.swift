/// A binary heap of rows (or neighbourhoods) by similarity, the smallest on top: the worst of the best found so far.
struct ScoredHeap {
    private(set) var items: [(key: Float, node: UInt32)] = []

    init(capacity: Int = 0) { items.reserveCapacity(capacity) }

    var count: Int { items.count }
    var top: (key: Float, node: UInt32) { items[0] }

    mutating func push(_ key: Float, _ node: UInt32) {
        items.append((key, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].key < items[parent].key else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Pops the top and pushes in one step (the heap stays the same size).
    mutating func replaceTop(_ key: Float, _ node: UInt32) {
        items[0] = (key, node)
        siftDown()
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left].key < items[smallest].key { smallest = left }
            if right < items.count && items[right].key < items[smallest].key { smallest = right }
            if smallest == parent { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// Every item, largest key first (ties: lower node first, so results do not depend on heap order).
    func drainedBestFirst() -> [(key: Float, node: UInt32)] {
        items.sorted { $0.key != $1.key ? $0.key > $1.key : $0.node < $1.node }
    }
}
