import ArgumentParser
import Foundation
import Indexer
import Server
import Catalogue
import SQLiteCatalogue

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure how well the AI descriptions and search match hand-written ground truth.",
        discussion: """
            Reads a LABELS.tsv (columns: path relative to the folder above the file, description, keywords
            separated by ';') and finds each photo in the catalogue. Index the photos first.

            --labels: a hit when any keyword appears among the photo's labels, caption or text (case,
            punctuation and plural 's' ignored); reports the hit rate and the misses.
            --search: every keyword is searched for (words and meaning, as `viewfinder search`). A labelled
            photo is relevant to a query when its description or keywords hold the word (singular or plural).
            Reports precision (of the labelled photos shown as matches, the share that are relevant),
            recall@k (relevant photos among the first k, k = max(5, 2 × the photos relevant to it)), MRR
            (1 / rank of the first relevant photo, per query), both ranked among the labelled photos (whether
            an unlabelled photo shows the word is unknown; recall with them in the ranks is printed too), and
            how many labelled photos each of a list of common words that no label holds brings back (ideally
            none). Photos found only by meaning ("might match") are counted apart, with the table the meaning
            cut-off is set from. --scores FILE also writes every (query, photo) similarity.

            Examples:
              viewfinder index ../shared/corpus/content
              viewfinder eval --labels ../shared/corpus/content/LABELS.tsv
              viewfinder eval --search ../shared/corpus/content/LABELS.tsv
              viewfinder eval --json --labels ../shared/corpus/content/LABELS.tsv | jq .hitRate
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Ground truth for the descriptions.", completion: .file(extensions: ["tsv"]))
    var labels: String?

    @Option(name: .long, help: "Ground truth for search: every keyword becomes a query.", completion: .file(extensions: ["tsv"]))
    var search: String?

    @Flag(name: .long, help: "With --search: words only, without the query's meaning.")
    var noSemantic = false

    @Option(name: .long, help: "With --search: write each query's similarity to every labelled photo here (TSV).",
            completion: .file())
    var scores: String?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard (labels == nil) != (search == nil) else { throw ValidationError("give --labels FILE or --search FILE") }
    }

    struct Outcome: Encodable {
        var path: String
        var keywords: [String]
        var matched: [String]
        var caption: String?
    }

    struct Report: Encodable {
        var photos: Int
        var hits: Int
        var hitRate: Double
        var notDescribed: [String]
        var misses: [Outcome]
        var outcomes: [Outcome]
    }

    /// One photo's hand-written ground truth.
    struct Row {
        var name: String
        var path: String
        var description: String
        var keywords: [String]
    }

    /// Each ground-truth row, with the photo's absolute path.
    static func rows(_ file: String) throws -> [Row] {
        guard let table = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3 else { return nil }
            let keywords = columns[2].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return Row(name: columns[0], path: LibraryIndexer.canonical(base.appendingPathComponent(columns[0]).path),
                       description: columns[1], keywords: keywords)
        }
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        if let search {
            return try SearchEvaluation(store: library.store, dataFolder: library.folder, semantic: !noSemantic)
                .run(rows: Self.rows(search), json: json, scoresFile: scores)
        }
        var outcomes = [Outcome](), notDescribed = [String]()
        for row in try Self.rows(labels!) {
            guard let photo = try library.store.photo(atPath: row.path), let id = photo.id,
                  let record = try library.store.description(photoID: id) else {
                notDescribed.append(row.name)
                continue
            }
            let described = StoredDescription(record)
            let haystack = Self.words(([described.caption, described.text] + described.labels.map(\.name)).joined(separator: " | "))
            let matched = row.keywords.filter { haystack.contains(" " + Self.words($0).trimmingCharacters(in: .whitespaces) + " ") }
            outcomes.append(Outcome(path: row.name, keywords: row.keywords, matched: matched, caption: described.caption))
        }
        let hits = outcomes.filter { !$0.matched.isEmpty }.count
        let report = Report(photos: outcomes.count, hits: hits, hitRate: outcomes.isEmpty ? 0 : Double(hits) / Double(outcomes.count),
                            notDescribed: notDescribed, misses: outcomes.filter { $0.matched.isEmpty }, outcomes: outcomes)
        if json { return try JSONOutput.print(report) }
        print(String(format: "%d of %d photos have a ground-truth keyword among their labels, caption or text: %.0f%%",
                     hits, outcomes.count, report.hitRate * 100))
        for miss in report.misses {
            print("  miss  \(miss.path)  wanted: \(miss.keywords.joined(separator: ", "))  got: \(miss.caption ?? "")")
        }
        if !notDescribed.isEmpty { print("not indexed or not described yet: \(notDescribed.joined(separator: ", "))") }
    }

    /// Lower case, punctuation to spaces, a trailing plural 's' dropped from each word; padded with spaces so
    /// a phrase matches whole words only.
    static func words(_ text: String) -> String {
        let cleaned = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        let singular = String(cleaned).split(separator: " ").map { word in
            word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? word.dropLast() : word
        }
        return " " + singular.joined(separator: " ") + " "
    }
}
