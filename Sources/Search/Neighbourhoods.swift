import Foundation

/// The centres of a `VectorIndex`'s neighbourhoods (an inverted-file index, IVF), learnt by k-means: each row is
/// kept in the list of its nearest centre, and a search compares the query with every centre and reads only the
/// lists of the nearest few. About √n neighbourhoods of √n photos each, so a search reads a small share of the
/// rows; a photo added later joins the list of its nearest centre.
struct Neighbourhoods: Sendable {
    let dimensions: Int
    /// Row-major, one unit-length centre per neighbourhood.
    let centres: [Float]
    /// The centres in int8 steps, for placing rows with the integer dot product.
    private let quantisedCentres: QuantisedCentres

    /// Rows the centres are learnt from, per neighbourhood: enough to place a centre, few enough that learning
    /// costs less than placing every row once.
    static let sampledPerNeighbourhood = 40
    /// Rounds of k-means over the sample.
    static let rounds = 8

    var count: Int { centres.count / max(1, dimensions) }
    var memoryBytes: Int { centres.count * 4 + quantisedCentres.memoryBytes }

    /// How many neighbourhoods `rows` photos get: √n, so the centres and one list cost about the same to scan.
    static func neighbourhoods(for rows: Int) -> Int { max(1, Int(Double(rows).squareRoot().rounded())) }

    /// Learns the centres from a fixed stride of the rows (the same rows give the same centres), on `threads` threads.
    /// - Precondition: there is at least one row.
    init(learningFrom rows: QuantisedRows, threads: Int) {
        dimensions = rows.dimensions
        let count = min(rows.count, Self.neighbourhoods(for: rows.count))
        let sampleSize = min(rows.count, count * Self.sampledPerNeighbourhood)
        let sample = (0..<sampleSize).map { $0 * rows.count / max(1, sampleSize) }
        var centres = [Float](repeating: 0, count: count * dimensions)
        for centre in 0..<count {
            let row = sample[centre * sample.count / count]
            for column in 0..<dimensions { centres[centre * dimensions + column] = Float(rows.values[row * dimensions + column]) }
            Self.normalise(&centres, centre, dimensions)
        }
        for _ in 0..<Self.rounds {
            let placed = Self.nearest(sample, rows, QuantisedCentres(centres, dimensions), threads: threads)
            var sums = [Float](repeating: 0, count: count * dimensions)
            var sizes = [Int](repeating: 0, count: count)
            for (row, centre) in zip(sample, placed) {
                sizes[Int(centre)] += 1
                let base = Int(centre) * dimensions, scale = rows.scales[row]
                for column in 0..<dimensions { sums[base + column] += Float(rows.values[row * dimensions + column]) * scale }
            }
            // An empty neighbourhood moves onto one of the largest's photos, so that one is split next round.
            let largest = sizes.indices.max { sizes[$0] < sizes[$1] } ?? 0
            let largestRows = zip(sample, placed).filter { Int($0.1) == largest }.map(\.0)
            var taken = 0
            for centre in 0..<count {
                if sizes[centre] == 0, taken < largestRows.count {
                    let row = largestRows[taken]
                    taken += 1
                    for column in 0..<dimensions { sums[centre * dimensions + column] = Float(rows.values[row * dimensions + column]) }
                }
                if sums[(centre * dimensions)..<((centre + 1) * dimensions)].contains(where: { $0 != 0 }) {
                    for column in 0..<dimensions { centres[centre * dimensions + column] = sums[centre * dimensions + column] }
                    Self.normalise(&centres, centre, dimensions)
                }
            }
        }
        self.centres = centres
        quantisedCentres = QuantisedCentres(centres, dimensions)
    }

    /// Takes back the centres of an index kept on disk.
    init(dimensions: Int, centres: [Float]) {
        self.dimensions = dimensions
        self.centres = centres
        quantisedCentres = QuantisedCentres(centres, dimensions)
    }

    /// The neighbourhood a row belongs in: that of its nearest centre.
    func home(of row: QuantisedQuery) -> Int { quantisedCentres.nearest(row) }

    /// Every row's neighbourhood, the rows split over `threads` threads.
    func homes(of rows: QuantisedRows, threads: Int) -> [Int32] {
        Self.nearest(Array(0..<rows.count), rows, quantisedCentres, threads: threads)
    }

    /// The `count` neighbourhoods whose centres are most similar to the query, nearest first.
    func nearestNeighbourhoods(_ query: QueryLanes, _ count: Int) -> [Int] {
        var best = ScoredHeap(capacity: count)
        centres.withUnsafeBufferPointer { centres in
            for centre in 0..<self.count { best.offer(query.similarity(centres, centre * dimensions), UInt32(centre), limit: count) }
        }
        return best.drainedBestFirst().map { Int($0.node) }
    }

    /// Each row's nearest centre, the rows split over `threads` threads.
    private static func nearest(_ rows: [Int], _ all: QuantisedRows, _ centres: QuantisedCentres, threads: Int) -> [Int32] {
        let threads = max(1, min(threads, rows.count / 1000))
        return [Int32](unsafeUninitializedCapacity: rows.count) { buffer, initialised in
            let placed = PlacedRows(pointer: buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                for position in (part * rows.count / threads)..<((part + 1) * rows.count / threads) {
                    placed.pointer[position] = Int32(centres.nearest(QuantisedQuery(row: rows[position], of: all)))
                }
            }
            initialised = rows.count
        }
    }

    private static func normalise(_ vectors: inout [Float], _ vector: Int, _ dimensions: Int) {
        let range = (vector * dimensions)..<((vector + 1) * dimensions)
        let norm = vectors[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return }
        for column in range { vectors[column] /= norm }
    }
}

/// Centres in int8 steps, each with its own scale: placing a row compares it with every centre, and the integer
/// dot product is about twice as fast as converting each one to floats (BENCHMARKS.md).
private struct QuantisedCentres: Sendable {
    let values: [Int8]
    let scales: [Float]
    let dimensions: Int

    init(_ centres: [Float], _ dimensions: Int) {
        self.dimensions = dimensions
        let count = centres.count / dimensions
        var values = [Int8](repeating: 0, count: centres.count), scales = [Float](repeating: 0, count: count)
        for centre in 0..<count {
            let range = (centre * dimensions)..<((centre + 1) * dimensions)
            let largest = centres[range].map(abs).max() ?? 0
            guard largest > 0 else { continue }
            scales[centre] = largest / 127
            for column in range { values[column] = Int8((centres[column] / scales[centre]).rounded()) }
        }
        self.values = values
        self.scales = scales
    }

    var memoryBytes: Int { values.count + scales.count * 4 }

    /// The centre most similar to a row (lowest number on a tie).
    func nearest(_ row: QuantisedQuery) -> Int {
        values.withUnsafeBufferPointer { values in
            scales.withUnsafeBufferPointer { scales in
                let centres = QuantisedRows(values: values, scales: scales, dimensions: dimensions)
                var best = 0, bestSimilarity = -Float.infinity
                for centre in 0..<centres.count {
                    let similarity = centres.similarity(row, centre)
                    if similarity > bestSimilarity { (best, bestSimilarity) = (centre, similarity) }
                }
                return best
            }
        }
    }
}

/// The array being filled, shared by the threads that place rows: each writes its own part.
private struct PlacedRows: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Int32>
}
