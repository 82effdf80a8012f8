import Foundation
import Search

/// SplitMix64: seeded, so every run and both engines see the same vectors, and fast enough for a million of them.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Stand-ins for MiniLM's 384-dimension description vectors. Random: unit vectors in every direction alike,
/// the worst case for any approximate index (every photo about as far as any other). Clustered: around a few
/// thousand centres, as descriptions of the same kinds of scene are (a photo's cosine with its centre is about
/// 0.7, with another photo of its centre about 0.5, with anything else about 0).
struct PhotoVectors {
    static let dimensions = 384
    let clustered: Bool
    private var generator: SeededGenerator
    private let centres: [[Float]]

    /// Photos and queries come from different seeds but share the centres (their own fixed seed).
    init(clustered: Bool, seed: UInt64, centres count: Int = 3000) {
        self.clustered = clustered
        generator = SeededGenerator(state: seed)
        var centreGenerator = SeededGenerator(state: 0xC0FFEE)
        centres = clustered ? (0..<count).map { _ in Self.unit(Self.uniform(&centreGenerator, 1)) } : []
    }

    var kind: String { clustered ? "clustered (3000 centres)" : "random" }

    mutating func next() -> [Float] {
        guard clustered else { return Self.unit(Self.uniform(&generator, 1)) }
        let centre = centres[Int.random(in: 0..<centres.count, using: &generator)]
        // Uniform noise of σ 0.05 per dimension: about as long as the centre itself.
        let noise = Self.uniform(&generator, 0.05 * Float(3).squareRoot())
        return Self.unit(zip(centre, noise).map { $0 + $1 })
    }

    private static func uniform(_ generator: inout SeededGenerator, _ half: Float) -> [Float] {
        (0..<dimensions).map { _ in Float.random(in: -half...half, using: &generator) }
    }

    private static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }
}

/// What the neighbourhoods cost and find at this size, against the exact scan of the same rows.
enum VectorMeasures {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func milliseconds(_ work: () -> Void) -> Double {
        let started = DispatchTime.now().uptimeNanoseconds
        work()
        return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
    }

    /// Share of the exact top 100 (and top 10) the neighbourhoods find, and each one's time alone, per
    /// neighbourhoods searched.
    static func recall(_ index: VectorIndex, queries: [[Float]], searched: [Int]) -> [String: Any] {
        var exact = [[Int]](), exactTimes = [Double]()
        for query in queries {
            var top = [(row: Int, similarity: Float)]()
            exactTimes.append(milliseconds { top = index.exactNearest(query, limit: 100) { _ in true } })
            exact.append(top.map(\.row))
        }
        var bySearched = [String: Any]()
        for searched in searched {
            var found = 0, foundOfTen = 0, times = [Double]()
            for (query, truth) in zip(queries, exact) {
                var top = [(row: Int, similarity: Float)]()
                times.append(milliseconds { top = index.approximateNearest(query, limit: 100, searched: searched) })
                found += Set(top.map(\.row)).intersection(truth).count
                foundOfTen += Set(top.prefix(10).map(\.row)).intersection(truth.prefix(10)).count
            }
            bySearched[String(searched)] = ["recallAt100": Double(found) / Double(100 * queries.count),
                                            "recallAt10": Double(foundOfTen) / Double(10 * queries.count),
                                            "p50": percentile(times, 0.5), "p99": percentile(times, 0.99)]
        }
        return ["queries": queries.count, "bySearched": bySearched,
                "exactScan": ["p50": percentile(exactTimes, 0.5), "p99": percentile(exactTimes, 0.99)]]
    }

    /// Milliseconds per `assign`: overwriting rows, removing rows, appending rows (each moved among the neighbourhoods).
    static func updates(_ index: VectorIndex, vectors: inout PhotoVectors, count: Int = 200) -> [String: Any] {
        var index = index
        var generator = SeededGenerator(state: 7)
        // The first change copies the arrays the engine shares; that is not the update's cost.
        index.assign(vectors.next(), to: 0)
        var overwrite = [Double](), remove = [Double](), append = [Double]()
        var removed = Set<Int>()
        for _ in 0..<count {
            let row = Int.random(in: 1..<index.count, using: &generator)
            let vector = vectors.next()
            overwrite.append(milliseconds { index.assign(vector, to: row) })
        }
        for _ in 0..<count {
            let row = Int.random(in: 1..<index.count, using: &generator)
            removed.insert(row)
            remove.append(milliseconds { index.assign(nil, to: row) })
        }
        for _ in 0..<count {
            let vector = vectors.next()
            append.append(milliseconds { index.assign(vector, to: index.count) })
        }
        // A removed row is never found again: look for each with its own old neighbourhood.
        var removedFound = 0
        for _ in 0..<50 {
            removedFound += index.approximateNearest(vectors.next(), limit: 100).filter { removed.contains($0.row) }.count
        }
        let summary = { (times: [Double]) -> [String: Double] in
            ["mean": times.reduce(0, +) / Double(times.count), "p99": percentile(times, 0.99), "max": times.max() ?? 0]
        }
        return ["overwrite": summary(overwrite), "remove": summary(remove), "append": summary(append),
                "removedRowsReturned": removedFound]
    }
}
