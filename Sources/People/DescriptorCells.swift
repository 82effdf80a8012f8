/// Descriptors kept in cells of about `cellSize`, found through a binary tree of cell centres: a cell that fills
/// splits in two (2-means over its own descriptors), so a cell never grows with the library and a query reads the
/// few cells whose centres lie nearest, a cost that stays about flat as the library grows (only the tree deepens).
struct DescriptorCells<ID: Hashable> {
    let width: Int
    let cellSize: Int
    /// Each node's centre (the root's is empty), its two children when it was split, else the cell it holds.
    private var centres: [[Float]] = [[]]
    private var children: [(Int, Int)?] = [nil]
    private var cellOf: [Int] = [0]
    private var cells: [Cell] = [Cell()]
    private var home: [ID: Int] = [:]

    struct Cell {
        var ids: [ID] = []
        var rows = [Float]()
        /// A cell of identical descriptors cannot split: it waits until it holds twice as many before trying again.
        var splitAt = 0
    }

    /// Picks each split's first seed, so trees of one forest cut the same descriptors differently.
    private var random: UInt64

    init(width: Int, cellSize: Int, seed: UInt64 = 0) {
        self.width = width
        self.cellSize = cellSize
        random = seed
    }

    var count: Int { home.count }

    mutating func insert(_ id: ID, _ descriptor: [Float]) {
        precondition(descriptor.count == width && home[id] == nil)
        var node = 0
        while let (left, right) = children[node] {
            node = squaredDistance(centres[left], descriptor) <= squaredDistance(centres[right], descriptor) ? left : right
        }
        let cell = cellOf[node]
        cells[cell].ids.append(id)
        cells[cell].rows += descriptor
        home[id] = cell
        if cells[cell].ids.count > max(cellSize, cells[cell].splitAt) { split(node) }
    }

    mutating func remove(_ id: ID) {
        guard let cell = home.removeValue(forKey: id), let slot = cells[cell].ids.firstIndex(of: id) else { return }
        let last = cells[cell].ids.count - 1
        cells[cell].ids.swapAt(slot, last)
        cells[cell].ids.removeLast()
        for i in 0..<width { cells[cell].rows.swapAt(slot * width + i, last * width + i) }
        cells[cell].rows.removeLast(width)
    }

    /// Calls `body` with each descriptor (id and squared distance) of the `probes` non-empty cells whose centres
    /// lie nearest, best first through the tree; `Int.max` probes reads every cell, which is the exact answer.
    func forEach(near descriptor: [Float], probes: Int, comparisons: inout Int, _ body: (ID, Float) -> Void) {
        guard probes < Int.max else {
            for cell in cells.indices { scan(cell, descriptor, &comparisons, body) }
            return
        }
        // Each branch not taken waits keyed by how much farther its centre lay than the one taken, summed down the
        // tree (how far past the splits the query would have to be): the cells a query nearly fell into come first.
        var frontier: [(detour: Float, node: Int)] = [(0, 0)]
        var read = 0
        while read < probes, let nearest = frontier.indices.min(by: { frontier[$0].detour < frontier[$1].detour }) {
            var (detour, node) = frontier.remove(at: nearest)
            while let (left, right) = children[node] {
                let toLeft = squaredDistance(centres[left], descriptor), toRight = squaredDistance(centres[right], descriptor)
                comparisons += 2
                frontier.append((detour + abs(toLeft - toRight), toLeft <= toRight ? right : left))
                node = toLeft <= toRight ? left : right
            }
            guard !cells[cellOf[node]].ids.isEmpty else { continue }
            scan(cellOf[node], descriptor, &comparisons, body)
            read += 1
        }
    }

    private func scan(_ cell: Int, _ descriptor: [Float], _ comparisons: inout Int, _ body: (ID, Float) -> Void) {
        let ids = cells[cell].ids
        cells[cell].rows.withUnsafeBufferPointer { rows in
            descriptor.withUnsafeBufferPointer { one in
                for (row, id) in ids.enumerated() {
                    body(id, squaredDistance(UnsafeBufferPointer(rebasing: rows[row * width..<(row + 1) * width]), one))
                }
            }
        }
        comparisons += ids.count
    }

    /// Splits a full cell by 2-means, seeded by two far-apart descriptors (the first far from a random one), into two children of its node.
    private mutating func split(_ node: Int) {
        let cell = cellOf[node], full = cells[cell]
        let rows = (0..<full.ids.count).map { Array(full.rows[$0 * width..<($0 + 1) * width]) }
        let far = { (from: [Float]) in rows.indices.max { squaredDistance(rows[$0], from) < squaredDistance(rows[$1], from) }! }
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var means = [rows[far(rows[Int((random >> 33) % UInt64(rows.count))])]]
        means.append(rows[far(means[0])])
        var side = [Bool](repeating: false, count: rows.count)
        for _ in 0..<4 {
            side = rows.map { squaredDistance($0, means[0]) > squaredDistance($0, means[1]) }
            for s in 0..<2 {
                let members = rows.indices.filter { side[$0] == (s == 1) }
                guard !members.isEmpty else { continue }
                var mean = [Float](repeating: 0, count: width)
                for m in members { for i in 0..<width { mean[i] += rows[m][i] } }
                means[s] = mean.map { $0 / Float(members.count) }
            }
        }
        guard side.contains(true), side.contains(false) else {
            cells[cell].splitAt = full.ids.count * 2
            return
        }
        let second = cells.count
        cells[cell] = Cell()
        cells.append(Cell())
        for (row, id) in full.ids.enumerated() {
            let target = side[row] ? second : cell
            cells[target].ids.append(id)
            cells[target].rows += rows[row]
            home[id] = target
        }
        let left = centres.count
        centres += means
        children += [nil, nil]
        cellOf += [cell, second]
        children[node] = (left, left + 1)
        cellOf[node] = -1
    }
}

/// Several trees of cells whose splits were seeded differently: a near descriptor that one tree's split cuts off
/// from the query, another tree keeps with it, so a few cells in each find what many cells of one would.
struct DescriptorForest<ID: Hashable> {
    private var trees: [DescriptorCells<ID>]

    init(width: Int, cellSize: Int, trees: Int = 4) {
        self.trees = (0..<trees).map { DescriptorCells(width: width, cellSize: cellSize, seed: UInt64($0)) }
    }

    var count: Int { trees[0].count }

    mutating func insert(_ id: ID, _ descriptor: [Float]) { for t in trees.indices { trees[t].insert(id, descriptor) } }

    mutating func remove(_ id: ID) { for t in trees.indices { trees[t].remove(id) } }

    /// Each descriptor of `probes` cells in every tree, once; `Int.max` reads one tree whole (the exact answer).
    func forEach(near descriptor: [Float], probes: Int, comparisons: inout Int, _ body: (ID, Float) -> Void) {
        guard probes < Int.max else { return trees[0].forEach(near: descriptor, probes: probes, comparisons: &comparisons, body) }
        var seen = Set<ID>()
        for tree in trees {
            tree.forEach(near: descriptor, probes: probes, comparisons: &comparisons) { id, distance in
                if seen.insert(id).inserted { body(id, distance) }
            }
        }
    }
}

extension DescriptorForest: Sendable where ID: Sendable {}
extension DescriptorCells: Sendable where ID: Sendable {}
extension DescriptorCells.Cell: Sendable where ID: Sendable {}
