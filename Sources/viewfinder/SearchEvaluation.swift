import ArgumentParser
import Foundation
import Search
import Server
import Store
import Vision

/// `eval --search`: every ground-truth keyword as a query; where does its photo rank?
struct SearchEvaluation {
    let store: PhotoStore
    let dataFolder: String
    let semantic: Bool

    struct Pair: Encodable {
        var path: String
        var keyword: String
        /// 1-based; nil when not among the first 100.
        var rank: Int?
    }

    struct Report: Encodable {
        var pairs: Int
        var recallAt5: Double
        var meanReciprocalRank: Double
        var semantic: Bool
        var misses: [Pair]
    }

    func run(rows: [(name: String, path: String, keywords: [String])], json: Bool) throws {
        let engine = try SearchLibrary.engine(store).engine
        var queries = [(path: String, id: Int64, keyword: String)]()
        for row in rows {
            guard let id = try store.photo(atPath: row.path)?.id else { continue }
            queries += row.keywords.map { (row.name, id, $0.lowercased()) }
        }
        let meanings = semantic ? embed(queries.map(\.keyword), engine) : [:]
        var pairs = [Pair]()
        for (index, query) in queries.enumerated() {
            let vectors = meanings.mapValues { $0[index] }
            // A complete word: the trailing space says it is not being typed any more.
            let hits = (try? engine.search(query.keyword + " ", limit: 100, queryVectors: vectors, facets: false).hits) ?? []
            let rank = hits.firstIndex { $0.id == query.id }.map { $0 + 1 }
            pairs.append(Pair(path: query.path, keyword: query.keyword, rank: rank))
        }
        let recall = Double(pairs.filter { ($0.rank ?? 99) <= 5 }.count) / Double(max(1, pairs.count))
        let reciprocal = pairs.reduce(0.0) { $0 + ($1.rank.map { 1 / Double($0) } ?? 0) } / Double(max(1, pairs.count))
        let report = Report(pairs: pairs.count, recallAt5: recall, meanReciprocalRank: reciprocal, semantic: !meanings.isEmpty,
                            misses: pairs.filter { ($0.rank ?? 99) > 5 })
        if json { return try JSONOutput.print(report) }
        print(String(format: "%d (photo, keyword) pairs, %@: recall@5 %.2f, MRR %.2f", pairs.count,
                     report.semantic ? "words and meaning" : "words only", recall, reciprocal))
        for miss in report.misses {
            print("  miss  \(miss.keyword) → \(miss.path)" + (miss.rank.map { " (rank \($0))" } ?? " (not in the first 100)"))
        }
    }

    /// The keywords' vectors in one request to the worker; none when it cannot run.
    private func embed(_ keywords: [String], _ engine: SearchEngine) -> [String: [[Float]]] {
        guard !engine.vectorModels.isEmpty, let command = WorkerLocator.command() else { return [:] }
        let client = VisionOptions.localWorker(command + ["--no-text"], dataFolder: dataFolder)
        defer { client.shutdown() }
        return (try? client.embed(keywords)) ?? [:]
    }
}
