import Foundation

/// Photo vectors for one model, quantised to 8 bits per dimension (a quarter of the memory of floats). Below
/// `approximateFrom` rows every search scans them all exactly with SIMD; from there on `Neighbourhoods` (IVF)
/// lets a search scan only the photos around the centres nearest the query, since a scan grows with the library.
public struct VectorIndex: Sendable {
    public let model: String
    public let dimensions: Int
    /// Row-major, one row per photo number; rows of photos without a vector are zero.
    public private(set) var values: [Int8]
    /// Per row: what one step of the row's int8 values is worth; 0 where a photo has no vector.
    public private(set) var scales: [Float]
    /// Present from `approximateFrom` rows on; kept current by `assign`, never rebuilt.
    private(set) var neighbourhoods: Neighbourhoods?
    /// From this many rows on a search scans the nearest neighbourhoods; below it the exact scan, which was faster
    /// at 50,000 rows and slower at 100,000 (BENCHMARKS.md).
    public let approximateFrom: Int
    public static let scanIsFasterBelow = 75_000

    /// - Parameter vectors: by photo number; nil where a photo has none.
    public init(model: String, vectors: [[Float]?], approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        self.model = model
        self.approximateFrom = approximateFrom
        dimensions = vectors.first(where: { $0 != nil })??.count ?? 0
        values = [Int8](repeating: 0, count: vectors.count * dimensions)
        scales = [Float](repeating: 0, count: vectors.count)
        for (row, vector) in vectors.enumerated() where vector != nil { quantise(vector, into: row) }
        if count >= approximateFrom { placeInNeighbourhoods() }
    }

    /// Takes back the arrays of an index kept on disk, or shares another's rows: with `neighbourhoods` nothing is
    /// rebuilt; without them they are learnt if the rows are `approximateFrom` or more.
    init(model: String, dimensions: Int, values: [Int8], scales: [Float], neighbourhoods: Neighbourhoods?,
         approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        self.model = model
        self.dimensions = dimensions
        self.values = values
        self.scales = scales
        self.approximateFrom = approximateFrom
        self.neighbourhoods = neighbourhoods
        if neighbourhoods == nil && count >= approximateFrom { placeInNeighbourhoods() }
    }

    /// The same rows, searched the other way: `approximateFrom` `.max` always scans (what the bench measures against).
    public func sharingRows(approximateFrom: Int) -> VectorIndex {
        VectorIndex(model: model, dimensions: dimensions, values: values, scales: scales, neighbourhoods: nil, approximateFrom: approximateFrom)
    }

    public var count: Int { scales.count }
    public var isApproximate: Bool { neighbourhoods != nil }
    public var neighbourhoodCount: Int { neighbourhoods?.count ?? 0 }
    /// How many of them a search scans (`rowsSearched` rows' worth).
    public var neighbourhoodsSearched: Int { neighbourhoods?.holding(Self.rowsSearched) ?? 0 }
    public func hasVector(_ row: Int) -> Bool { row < scales.count && scales[row] > 0 }
    public var memoryBytes: Int { values.count + scales.count * 4 + (neighbourhoods?.memoryBytes ?? 0) }

    /// Sets row `row`'s vector (nil: none), adding empty rows up to it; a row without a vector is never found.
    /// The neighbourhoods move that row only (they are learnt once, when the rows first reach `approximateFrom`).
    public mutating func assign(_ vector: [Float]?, to row: Int) {
        if row >= count {
            values += repeatElement(0, count: (row + 1 - count) * dimensions)
            scales += repeatElement(0, count: row + 1 - count)
        }
        quantise(vector, into: row)
        if neighbourhoods == nil {
            if count >= approximateFrom { placeInNeighbourhoods() }
        } else {
            let dimensions = dimensions
            values.withUnsafeBufferPointer { values in
                scales.withUnsafeBufferPointer { scales in
                    neighbourhoods!.place(row, QuantisedRows(values: values, scales: scales, dimensions: dimensions))
                }
            }
        }
    }

    private mutating func quantise(_ vector: [Float]?, into row: Int) {
        scales[row] = 0
        guard let vector, vector.count == dimensions, let largest = vector.map(abs).max(), largest > 0, largest.isFinite else { return }
        scales[row] = largest / 127
        for (column, value) in vector.enumerated() { values[row * dimensions + column] = Int8((value / scales[row]).rounded()) }
    }

    private mutating func placeInNeighbourhoods() {
        guard scales.contains(where: { $0 > 0 }) else { return }  // no vector yet to learn centres from
        neighbourhoods = withRows { Neighbourhoods($0, threads: ProcessInfo.processInfo.activeProcessorCount) }
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

    /// Rows the spread of a query's similarities is estimated from once the neighbourhoods answer: a fixed stride
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

    /// Rows a search reads from the nearest neighbourhoods, at any size: at a million clustered vectors (16 of
    /// 1,000 neighbourhoods) 0.987 of the exact top 100, for a sixtieth of the rows (BENCHMARKS.md).
    public static let rowsSearched = 16_384

    /// The `limit` rows most similar to the query among those `accept` lets through, best first: from the
    /// nearest `searched` neighbourhoods (by default as many as hold `rowsSearched` rows) when there are
    /// neighbourhoods (approximate), else from the exact scan.
    func nearest(_ query: [Float], limit: Int, searched: Int? = nil, accept: (Int) -> Bool) -> [(row: Int, similarity: Float)] {
        guard let neighbourhoods, limit > 0 else { return exactNearest(query, limit: limit, accept: accept) }
        let lanes = QueryLanes(query)
        var best = ScoredHeap(capacity: limit)
        let searched = searched ?? neighbourhoods.holding(Self.rowsSearched)
        withRows { rows in
            for neighbourhood in neighbourhoods.nearestNeighbourhoods(lanes, searched) {
                for member in neighbourhoods.members[neighbourhood] where accept(Int(member)) {
                    let similarity = rows.similarity(lanes, Int(member))
                    if best.count < limit { best.push(similarity, member) } else if similarity > best.top.key {
                        best.replaceTop(similarity, member)
                    }
                }
            }
        }
        // A filter few photos pass leaves the nearest neighbourhoods short: then the scan answers, exactly.
        guard best.count == limit else { return exactNearest(query, limit: limit, accept: accept) }
        return best.drainedBestFirst().map { (Int($0.node), $0.key) }
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
    public func approximateNearest(_ query: [Float], limit: Int, searched: Int? = nil) -> [(row: Int, similarity: Float)] {
        nearest(query, limit: limit, searched: searched) { _ in true }
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
