import Foundation

/// Photo vectors for one model, quantised to 8 bits per dimension (a quarter of the memory of floats). Below
/// `approximateFrom` rows every search scans them all exactly with SIMD; from there on a neighbour graph (HNSW,
/// `NeighbourGraph`) finds the nearest, since a scan grows with the library and the graph does not.
public struct VectorIndex: Sendable {
    public let model: String
    public private(set) var dimensions: Int
    /// Row-major, one row per photo number; rows of photos without a vector are zero.
    public private(set) var values: [Int8]
    /// Per row: what one step of the row's int8 values is worth; 0 where a photo has no vector.
    public private(set) var scales: [Float]
    /// Present from `approximateFrom` rows on; kept up to date by `assign`, never rebuilt.
    public private(set) var graph: NeighbourGraph?
    /// From this many rows on a search walks the graph; below it, the exact scan is faster (BENCHMARKS.md).
    public let approximateFrom: Int
    public static let scanIsFasterBelow = 20_000
    private let visits = VisitPool()

    /// - Parameter vectors: by photo number; nil where a photo has none.
    public init(model: String, vectors: [[Float]?], approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        self.model = model
        self.approximateFrom = approximateFrom
        dimensions = vectors.first(where: { $0 != nil })??.count ?? 0
        values = [Int8](repeating: 0, count: vectors.count * dimensions)
        scales = [Float](repeating: 0, count: vectors.count)
        for (row, vector) in vectors.enumerated() { quantise(vector, into: row) }
        if vectors.count >= approximateFrom { buildGraph() }
    }

    /// Takes back the arrays of an index kept on disk (`values`, `scales`, `graph`): nothing is rebuilt.
    public init(model: String, dimensions: Int, values: [Int8], scales: [Float], graph: NeighbourGraph?,
                approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        precondition(values.count == scales.count * dimensions, "\(values.count) values for \(scales.count) rows of \(dimensions)")
        self.model = model
        self.dimensions = dimensions
        self.values = values
        self.scales = scales
        self.approximateFrom = approximateFrom
        self.graph = graph
        if graph == nil && scales.count >= approximateFrom { buildGraph() }
    }

    public var count: Int { scales.count }
    public var isApproximate: Bool { graph != nil }
    public func hasVector(_ row: Int) -> Bool { row < scales.count && scales[row] > 0 }
    public var memoryBytes: Int { values.count + scales.count * 4 + (graph?.memoryBytes ?? 0) }

    /// Sets one photo's vector: `row == count` appends a row, an existing row is overwritten, nil removes it
    /// (a removed row is never found). The graph is mended around that row only.
    public mutating func assign(_ vector: [Float]?, to row: Int) {
        precondition(row >= 0 && row <= count, "row \(row) beyond the \(count) rows")
        if dimensions == 0, let vector {
            dimensions = vector.count
            values = [Int8](repeating: 0, count: count * dimensions)
        }
        if row == count {
            values.append(contentsOf: repeatElement(0, count: dimensions))
            scales.append(0)
        }
        quantise(vector, into: row)
        if graph == nil {
            if count >= approximateFrom { buildGraph() }
        } else if hasVector(row) {
            let dimensions = dimensions
            values.withUnsafeBufferPointer { values in
                scales.withUnsafeBufferPointer { scales in
                    graph!.link([row], QuantisedRows(values: values, scales: scales, dimensions: dimensions), threads: 1)
                }
            }
        } else {
            graph!.grow(to: count)
        }
    }

    private mutating func quantise(_ vector: [Float]?, into row: Int) {
        let base = row * dimensions
        for column in 0..<dimensions { values[base + column] = 0 }
        scales[row] = 0
        guard let vector, vector.count == dimensions else { return }
        let largest = vector.map(abs).max() ?? 0
        guard largest > 0, largest.isFinite else { return }
        scales[row] = largest / 127
        for (column, value) in vector.enumerated() { values[base + column] = Int8((value / scales[row]).rounded()) }
    }

    private mutating func buildGraph() {
        var graph = NeighbourGraph(rows: count)
        let dimensions = dimensions
        let present = (0..<count).filter { scales[$0] > 0 }
        values.withUnsafeBufferPointer { values in
            scales.withUnsafeBufferPointer { scales in
                graph.link(present, QuantisedRows(values: values, scales: scales, dimensions: dimensions),
                           threads: ProcessInfo.processInfo.activeProcessorCount)
            }
        }
        self.graph = graph
    }

    /// Cosine similarity (vectors are unit length) of every photo with the query.
    func similarities(_ query: [Float]) -> [Float] {
        precondition(query.count == dimensions, "query vector has \(query.count) dimensions, the index \(dimensions)")
        var result = [Float](repeating: 0, count: scales.count)
        let lanes = QueryLanes(query)
        withRows { rows in
            for row in 0..<rows.count where rows.scales[row] > 0 { result[row] = rows.similarity(lanes, row) }
        }
        return result
    }

    /// Rows the spread of a query's similarities is estimated from once the graph answers: a fixed stride
    /// through the library, so the same library gives the same cut-off.
    static let spreadSample = 4096

    /// The mean and spread of the query's similarities over the photos with a vector: over all of them while
    /// the scan is exact, else over `spreadSample` rows chosen by a fixed stride.
    func spread(_ query: [Float], exact similarities: [Float]? = nil) -> MeaningCutoff.Spread {
        if let similarities { return MeaningCutoff.Spread(similarities, present: scales) }
        guard isApproximate else { return MeaningCutoff.Spread(self.similarities(query), present: scales) }
        let lanes = QueryLanes(query)
        let step = max(1, count / Self.spreadSample)
        return withRows { rows in
            let sample = stride(from: 0, to: rows.count, by: step).filter { rows.scales[$0] > 0 }
            return MeaningCutoff.Spread(sample.map { rows.similarity(lanes, $0) })
        }
    }

    /// How many candidates the graph search keeps at least: 0.95 of the exact top 100 at a million clustered
    /// vectors (BENCHMARKS.md).
    public static let searchBreadth = 160

    /// The `limit` rows most similar to the query among those `accept` lets through, best first: from the
    /// graph when there is one (approximate), else from the exact scan.
    func nearest(_ query: [Float], limit: Int, breadth: Int = VectorIndex.searchBreadth,
                 accept: (Int) -> Bool) -> [(row: Int, similarity: Float)] {
        guard let graph, limit > 0 else { return exactNearest(query, limit: limit, accept: accept) }
        let visited = visits.take(count)
        defer { visits.give(visited) }
        let found: [(row: Int, similarity: Float)]? = withRows { rows in
            guard let found = graph.nearest(QuantisedQuery(query), rows, limit: limit, breadth: max(limit, breadth),
                                            visited: visited, accept: { accept($0) }) else { return nil }
            // Scored again in floats, so the order and the similarities are the exact scan's.
            let lanes = QueryLanes(query)
            var scored = [(row: Int, similarity: Float)]()
            for (row, _) in found { scored.append((row, rows.similarity(lanes, row))) }
            scored.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.row < $1.row }
            return Array(scored.prefix(limit))
        }
        // A filter few photos pass starves the walk: then the scan answers, exactly.
        return found ?? exactNearest(query, limit: limit, accept: accept)
    }

    /// The `limit` rows most similar to the query among those `accept` lets through, by the exact scan.
    public func exactNearest(_ query: [Float], limit: Int, accept: (Int) -> Bool) -> [(row: Int, similarity: Float)] {
        var best = ScoredHeap()
        let lanes = QueryLanes(query)
        withRows { rows in
            for row in 0..<rows.count where rows.scales[row] > 0 && accept(row) {
                let similarity = rows.similarity(lanes, row)
                if best.count < limit { best.push(similarity, UInt32(row)) } else if limit > 0 && similarity > best.top.key {
                    best.replaceTop(similarity, UInt32(row))
                }
            }
        }
        return best.drainedBestFirst().map { (Int($0.node), $0.key) }
    }

    /// Public form of `nearest` for measuring recall against `exactNearest` (bench/SearchBench).
    public func approximateNearest(_ query: [Float], limit: Int, breadth: Int = VectorIndex.searchBreadth) -> [(row: Int, similarity: Float)] {
        nearest(query, limit: limit, breadth: breadth) { _ in true }
    }

    /// One row's vector as floats (what it was quantised to).
    public func vector(_ row: Int) -> [Float] {
        (0..<dimensions).map { Float(values[row * dimensions + $0]) * scales[row] }
    }

    private func withRows<T>(_ body: (QuantisedRows) -> T) -> T {
        values.withUnsafeBufferPointer { values in
            scales.withUnsafeBufferPointer { scales in
                body(QuantisedRows(values: values, scales: scales, dimensions: dimensions))
            }
        }
    }
}
