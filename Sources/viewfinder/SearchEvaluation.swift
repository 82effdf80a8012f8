import ArgumentParser
import Foundation
import Search
import Server
import Catalogue
import SQLiteCatalogue
import Vision

/// `eval --search`: every ground-truth keyword as a query. Are the photos shown as matches the ones that show
/// the word (precision), are those found near the top (recall@k, MRR), and do words no photo shows stay empty?
struct SearchEvaluation {
    let store: PhotoStore
    let dataFolder: String
    let semantic: Bool

    /// Common search words for things rarely photographed together with anything else; those a label holds are
    /// dropped at run time (and said so), the rest must bring back no labelled photo.
    static let absentWords = [
        "saxophone", "lasagna", "walrus", "piano", "guitar", "violin", "pizza", "sushi", "banana", "elephant",
        "penguin", "airplane", "helicopter", "train", "bus", "tractor", "umbrella", "laptop", "keyboard",
        "television", "sofa", "bed", "toilet", "bathtub", "waterfall", "volcano", "tent", "baby", "wine", "cake",
        "skateboard", "surfing", "tennis", "football", "church", "castle", "sunflower", "tiger", "bear", "monkey",
        "snake", "butterfly", "fireworks", "candle", "bookshelf", "kangaroo", "submarine", "accordion", "igloo",
        "hamburger",
    ]

    struct Miss: Encodable {
        var query: String
        var path: String
        /// 1-based among the matches; nil when not among them.
        var rank: Int?
    }

    struct Wrong: Encodable {
        var query: String
        var path: String
    }

    /// Precision of one kind of hit, over all queries: relevant labelled photos / labelled photos returned.
    struct Precision: Encodable {
        var returned = 0
        var relevant = 0
        var value: Double { returned == 0 ? 1 : Double(relevant) / Double(returned) }
    }

    /// Labelled photos no word found, by how far their similarity stands out from the library's for the query:
    /// the numbers `MeaningCutoff` is set from.
    struct Calibration: Encodable {
        var standOut: Float
        var returned = 0
        var relevant = 0
        var precision = 1.0
    }

    struct Report: Encodable {
        var queries: Int
        var pairs: Int
        var labelledPhotos: Int
        var semantic: Bool
        /// Of the labelled photos shown as matches (found by words), the share relevant to the query.
        var precision: Double
        var labelledMatches: Int
        var relevantMatches: Int
        /// Relevant labelled photos among the first k labelled matches, k = max(5, 2 × the photos relevant).
        var recallAtK: Double
        /// The same counting unlabelled photos in the ranks (they may show the word too, so this is a floor).
        var recallAtKAmongAll: Double
        var meanReciprocalRank: Double
        /// Labelled photos the absent words bring back as matches, on average per word.
        var absentWordHits: Double
        var absentWords: [String]
        /// The same for photos found only by meaning (shown apart, folded).
        var mightMatchPrecision: Double
        var mightMatchReturned: Int
        var absentWordMightMatch: Double
        var droppedAbsentWords: [String]
        var calibration: [Calibration]
        /// Similarities of labelled photos to queries they do not show: 95th and 99th percentile.
        var unrelatedP95: Float?
        var unrelatedP99: Float?
        var misses: [Miss]
        var wrong: [Wrong]
    }

    func run(rows: [EvalCommand.Row], json: Bool, scoresFile: String?) throws {
        let engine = try SearchLibrary.engine(store).engine
        var truth = [Int64: EvalCommand.Row]()
        for row in rows {
            if let id = try store.photo(atPath: row.path)?.id { truth[id] = row }
        }
        let shows = truth.mapValues { EvalCommand.words($0.description + " | " + $0.keywords.joined(separator: " | ")) }
        let queries = Array(Set(truth.values.flatMap { $0.keywords.map { $0.lowercased() } })).sorted()
        let dropped = Self.absentWords.filter { word in shows.values.contains { $0.contains(EvalCommand.words(word)) } }
        let absent = Self.absentWords.filter { !dropped.contains($0) }
        let meanings = semantic ? embed(queries + absent, engine) : [:]
        var words = Precision(), meaning = Precision()
        var pairs = 0, found = 0, foundAmongAll = 0, reciprocal = 0.0
        var misses = [Miss](), wrong = [Wrong](), scoreLines = ["query\tpath\trelevant\tword_hit\tsimilarity\tstand_out\tadmitted"]
        var absentHits = 0, absentMight = 0
        var calibration = [2, 2.5, 3, 3.5, 4].map { Calibration(standOut: $0) }, unrelated = [Float]()
        for (index, query) in (queries + absent).enumerated() {
            let vectors = meanings.mapValues { $0[index] }
            // A complete word: the trailing space says it is not being typed any more.
            let hits = (try? engine.search(query + " ", limit: 1_000, queryVectors: vectors, facets: false).hits) ?? []
            let shown = hits.filter { $0.match == .words }.map(\.id)
            let might = hits.filter { $0.match == .meaning }.map(\.id)
            if index >= queries.count {
                absentHits += shown.filter { truth[$0] != nil }.count
                absentMight += might.filter { truth[$0] != nil }.count
                continue
            }
            let wanted = EvalCommand.words(query)
            let relevant = Set(shows.filter { $0.value.contains(wanted) }.keys)
            for id in shown where truth[id] != nil {
                words.returned += 1
                if relevant.contains(id) { words.relevant += 1 } else { wrong.append(Wrong(query: query, path: truth[id]!.name)) }
            }
            for id in might where truth[id] != nil {
                meaning.returned += 1
                if relevant.contains(id) { meaning.relevant += 1 }
            }
            let k = max(5, 2 * relevant.count)
            // Ranks among the labelled photos only: whether an unlabelled photo shows the word is unknown, so it
            // neither pushes a labelled one down nor counts against the search (a "condensed" list).
            let judged = shown.filter { truth[$0] != nil }
            for id in relevant.sorted() {
                pairs += 1
                let rank = judged.firstIndex(of: id).map { $0 + 1 }
                if let rank, rank <= k { found += 1 } else { misses.append(Miss(query: query, path: truth[id]!.name, rank: rank)) }
                if let rank = shown.firstIndex(of: id), rank < k { foundAmongAll += 1 }
            }
            if let first = judged.firstIndex(where: relevant.contains) { reciprocal += 1 / Double(first + 1) }
            let closeness = vectors.isEmpty ? [:] : engine.meaningScores(vectors)
            for (id, score) in closeness where truth[id] != nil && !shown.contains(id) {
                if !relevant.contains(id) { unrelated.append(score.similarity) }
                for index in calibration.indices where score.standOut >= calibration[index].standOut {
                    calibration[index].returned += 1
                    if relevant.contains(id) { calibration[index].relevant += 1 }
                }
            }
            if scoresFile != nil {
                // Unlabelled photos too ("-"): they are the library a query's scores are spread over.
                for (id, score) in closeness.sorted(by: { $0.key < $1.key }) {
                    let relevance = truth[id] == nil ? "-" : relevant.contains(id) ? "1" : "0"
                    scoreLines.append([query, truth[id]?.name ?? String(id), relevance, shown.contains(id) ? "1" : "0",
                                       String(format: "%.4f", score.similarity), String(format: "%.2f", score.standOut),
                                       score.admitted ? "1" : "0"].joined(separator: "\t"))
                }
            }
        }
        if let scoresFile {
            try (scoreLines.joined(separator: "\n") + "\n").write(toFile: scoresFile, atomically: true, encoding: .utf8)
        }
        for index in calibration.indices where calibration[index].returned > 0 {
            calibration[index].precision = Double(calibration[index].relevant) / Double(calibration[index].returned)
        }
        let report = Report(
            queries: queries.count, pairs: pairs, labelledPhotos: truth.count, semantic: !meanings.isEmpty,
            precision: words.value, labelledMatches: words.returned, relevantMatches: words.relevant,
            recallAtK: Double(found) / Double(max(1, pairs)), recallAtKAmongAll: Double(foundAmongAll) / Double(max(1, pairs)),
            meanReciprocalRank: reciprocal / Double(max(1, queries.count)),
            absentWordHits: Double(absentHits) / Double(max(1, absent.count)), absentWords: absent,
            mightMatchPrecision: meaning.value, mightMatchReturned: meaning.returned,
            absentWordMightMatch: Double(absentMight) / Double(max(1, absent.count)), droppedAbsentWords: dropped,
            calibration: calibration, unrelatedP95: Self.percentile(unrelated, 0.95), unrelatedP99: Self.percentile(unrelated, 0.99),
            misses: misses, wrong: wrong)
        if json { return try JSONOutput.print(report) }
        Self.show(report)
    }

    private static func show(_ report: Report) {
        print(String(format: "%d queries over %d labelled photos (%d relevant pairs), %@", report.queries, report.labelledPhotos,
                     report.pairs, report.semantic ? "words and meaning" : "words only"))
        print(String(format: "  precision %.2f (%d of %d labelled matches show the word)", report.precision, report.relevantMatches,
                     report.labelledMatches))
        print(String(format: "  recall@k %.2f among labelled photos (%.2f with unlabelled ones in the ranks), MRR %.2f",
                     report.recallAtK, report.recallAtKAmongAll, report.meanReciprocalRank))
        print(String(format: "  %d absent words: %.2f labelled matches each", report.absentWords.count, report.absentWordHits))
        print(String(format: "  might match (by meaning only, as shown): %d labelled, precision %.2f; %.2f per absent word",
                     report.mightMatchReturned, report.mightMatchPrecision, report.absentWordMightMatch))
        if let p95 = report.unrelatedP95, let p99 = report.unrelatedP99 {
            print(String(format: "  meaning cut-off data: unrelated labelled photos not found by words reach %.3f (95%%), %.3f (99%%)", p95, p99))
            for row in report.calibration {
                print(String(format: "    standing out by ≥ %.1f σ: %d labelled, %d relevant, precision %.2f", row.standOut,
                             row.returned, row.relevant, row.precision))
            }
        }
        if !report.droppedAbsentWords.isEmpty {
            print("  absent words dropped because a label holds them: \(report.droppedAbsentWords.joined(separator: ", "))")
        }
        for miss in report.misses {
            print("  miss   \(miss.query) → \(miss.path)" + (miss.rank.map { " (rank \($0))" } ?? " (not matched)"))
        }
        for mistake in report.wrong { print("  wrong  \(mistake.query) → \(mistake.path)") }
    }

    static func percentile(_ values: [Float], _ share: Double) -> Float? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
    }

    /// The queries' vectors in one request to the worker; none when it cannot run.
    private func embed(_ queries: [String], _ engine: SearchEngine) -> [String: [[Float]]] {
        guard !engine.vectorModels.isEmpty, let command = WorkerLocator.command() else { return [:] }
        let client = VisionOptions.localWorker(command + VisionOptions.queryWorkerSwitch, dataFolder: dataFolder)
        defer { client.shutdown() }
        return (try? client.embed(queries)) ?? [:]
    }
}
