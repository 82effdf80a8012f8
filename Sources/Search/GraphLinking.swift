import Foundation

extension NeighbourGraph {
    /// Links the rows into the graph (new rows, or rows whose vector changed: their own links are chosen
    /// anew). In batches: every row of a batch searches the graph as it stood before the batch, on all
    /// threads; then each row's links are written, and the rows it chose link back to it, each thread
    /// mending the rows it owns. A batch is at most a 32nd of the graph, so its rows miss few of each other.
    mutating func link(_ rows: [Int], _ view: QuantisedRows, threads: Int) {
        grow(to: view.count)
        var pending = rows[...]
        var linked = 0
        if entry == Self.none, let first = pending.first {
            makeRoom(for: first)
            setEntry(first)
            pending = pending.dropFirst()
            linked = 1
        }
        let visits = VisitPool()
        while !pending.isEmpty {
            let size = threads == 1 ? 1 : min(pending.count, max(1, min(4096, linked / 32)))
            let batch = Array(pending.prefix(size))
            pending = pending.dropFirst(size)
            for row in batch { makeRoom(for: row) }
            let choices = chooseLinks(batch, view, threads: threads, visits: visits)
            writeLinks(batch, choices, view, threads: threads)
            for row in batch where Self.level(of: row) > Self.level(of: Int(entry)) { setEntry(row) }
            linked += batch.count
        }
    }

    /// Per batch row and level (highest first, down to 0): the rows it links to, with their similarity.
    private mutating func chooseLinks(_ batch: [Int], _ view: QuantisedRows, threads: Int,
                                      visits: VisitPool) -> [[[(key: Float, node: UInt32)]]] {
        let entry = Int(entry)
        var choices = [[[(key: Float, node: UInt32)]]](repeating: [], count: batch.count)
        withMutableLinks { links in
            choices.withUnsafeMutableBufferPointer { choices in
                let out = SendableBuffer(choices)
                DispatchQueue.concurrentPerform(iterations: min(threads, batch.count)) { thread in
                    let visited = visits.take(view.count)
                    defer { visits.give(visited) }
                    for index in stride(from: thread, to: batch.count, by: threads) {
                        out.buffer[index] = Self.choose(for: batch[index], view, links, entry: entry, visited: visited)
                    }
                }
            }
        }
        return choices
    }

    private static func choose(for row: Int, _ view: QuantisedRows, _ links: Links, entry: Int,
                               visited: VisitMarks) -> [[(key: Float, node: UInt32)]] {
        let query = QuantisedQuery(row: row, of: view)
        let top = level(of: entry), own = level(of: row)
        var start = (similarity: view.similarity(query, entry), node: UInt32(entry))
        for level in stride(from: top, to: own, by: -1) { start = links.greedy(query, view, from: start, level: level) }
        var starts = [start]
        var chosen = [[(key: Float, node: UInt32)]]()
        for level in stride(from: min(top, own), through: 0, by: -1) {
            let found = links.search(query, view, from: starts, level: level, breadth: buildBreadth, visited: visited) {
                $0 != row && view.scales[$0] > 0
            }.found
            chosen.append(diverse(found, view, keeping: width))
            starts = found.map { ($0.key, $0.node) }
            if starts.isEmpty { starts = [start] }
        }
        return chosen
    }

    /// The heuristic of HNSW: from candidates best first, keep one only if it is closer to the row than to
    /// any kept before it, so links point in different directions rather than all into one cluster.
    static func diverse(_ candidates: [(key: Float, node: UInt32)], _ view: QuantisedRows,
                        keeping limit: Int) -> [(key: Float, node: UInt32)] {
        var kept = [(key: Float, node: UInt32)]()
        for candidate in candidates {
            if kept.count == limit { break }
            let lanes = QuantisedQuery(row: Int(candidate.node), of: view)
            if kept.allSatisfy({ view.similarity(lanes, Int($0.node)) < candidate.key }) { kept.append(candidate) }
        }
        return kept
    }

    /// Writes each batch row's links, then the links back to it, each thread mending the rows it owns.
    private mutating func writeLinks(_ batch: [Int], _ choices: [[[(key: Float, node: UInt32)]]], _ view: QuantisedRows,
                                     threads: Int) {
        var back = [[(target: UInt32, level: Int, source: UInt32, similarity: Float)]](repeating: [], count: threads)
        let entryLevel = Self.level(of: Int(entry))
        withMutableLinks { links in
            for (index, row) in batch.enumerated() {
                let levels = choices[index]
                let highest = min(entryLevel, Self.level(of: row))
                for (offset, chosen) in levels.enumerated() {
                    let level = highest - offset
                    let slots = links.slots(row, level)
                    for slot in slots.indices { slots[slot] = slot < chosen.count ? chosen[slot].node : Self.none }
                    for link in chosen {
                        back[Int(link.node) % threads].append((link.node, level, UInt32(row), link.key))
                    }
                }
            }
            let requests = back
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for request in requests[thread] {
                    Self.linkBack(request.target, level: request.level, to: request.source,
                                  similarity: request.similarity, view, links)
                }
            }
        }
    }

    /// Adds `source` to `target`'s links; a full list drops its least similar link (or a removed row) for it.
    /// Not the diversity heuristic here: that costs some 500 comparisons a list, this 32 (BENCHMARKS.md).
    private static func linkBack(_ target: UInt32, level: Int, to source: UInt32, similarity: Float,
                                 _ view: QuantisedRows, _ links: Links) {
        let slots = links.slots(Int(target), level)
        if slots.contains(source) { return }
        if let free = slots.firstIndex(of: none) {
            slots[free] = source
            return
        }
        let query = QuantisedQuery(row: Int(target), of: view)
        var worst = (slot: 0, similarity: Float.infinity)
        for (slot, link) in slots.enumerated() {
            let linked = view.scales[Int(link)] > 0 ? view.similarity(query, Int(link)) : -.infinity
            if linked < worst.similarity { worst = (slot, linked) }
        }
        if similarity > worst.similarity { slots[worst.slot] = source }
    }
}

/// A buffer the build's threads write to, each at its own indexes.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
