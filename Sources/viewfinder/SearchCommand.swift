import ArgumentParser
import Foundation
import Indexer
import Search
import Server
import Vision

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the library: words, typos, filters, dates and places, meaning.",
        discussion: """
            One query, as typed in the search box. Words are matched in captions, labels, text read in the photo,
            places, file and folder names and camera names; the last word also as a beginning ("sof" finds sofa);
            one typo is forgiven from 5 letters, two from 9. Every hit says why it matched.

              "red car"        the words together         -sofa            without sofa
              cat | dog        either                     label:cat  text:menu   in one field only
              camera:pixel  make:canon  lens:50mm         year:2019  month:june  taken:2021-06
              after:2020  before:2019-06  taken:2019-01..2019-03   iso:100-400  f:1.8-4  mm:24-70
              place:lisbon  city:porto  country:portugal  near:38.72,-9.14,5km
              folder:'2021*'  name:'IMG_*.JPG'  type:heic  orientation:portrait  rating>=3
              type:video  type:photo  duration>30s  duration:10s-2m
              has:gps|text|faces|caption  faces:2

            Dates and places written as words become filters: "beach 2019", "June 2021", "cats in lisbon".
            A query that matches nothing says so, and a filter that is not understood is named.

            Examples:
              viewfinder search cat sofa
              viewfinder search --json "beach 2019" | jq '.hits[].path'
              viewfinder search 'camera:pixel has:faces after:2021'
              viewfinder search --like ~/Pictures/2019/IMG_0042.JPG      more like this photo
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Print as JSON: {total, hits: [{path, id, score, caption, why}], facets, understood}.")
    var json = false

    @Option(name: .long, help: "How many hits to show.")
    var limit = 20

    @Option(name: .long, help: "The cursor a previous page printed, for the next page.")
    var cursor: String?

    @Flag(name: .long, help: "Words only: do not start the model worker to match the query's meaning.")
    var noSemantic = false

    @Flag(name: .long, help: "List every photo of a stack (RAW+JPEG, Live Photo, burst, edited copy), not one for each stack.")
    var noStacks = false

    @Option(name: .long, help: "Instead of a query: photos like this one (by meaning).", completion: .file())
    var like: String?

    @Argument(help: "The query (several arguments are joined with spaces).")
    var query: [String] = []

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        guard !query.isEmpty || like != nil else { throw ValidationError("give a query, or --like PHOTO") }
    }

    struct Hit: Encodable, Sendable {
        var path: String
        var id: Int64
        var score: Double
        var caption: String?
        var why: [String]
        /// "meaning" when no word matched all the way: a guess, listed after every word match.
        var match: HitSource
        var semantic: Double?
        /// The stack the hit stands for: every member's path (the shown one first) and how they belong together.
        var stack: Stack?
    }

    struct Stack: Encodable, Sendable {
        var members: [String]
        var kind: StackKind
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        // The snapshot `serve` saved, brought up to date, when there is one: a million photos load in a second or two.
        let snapshot = try LiveLibrary(store: library.store, renditions: library.renditions, savedAt: library.savedSearch,
                                       keepsSaved: false).snapshot
        let (engine, root) = (snapshot.engine, snapshot.root)
        let result: SearchResult
        if let like {
            guard let photo = try library.store.photo(atPath: LibraryIndexer.canonical(like)), let id = photo.id else {
                throw ValidationError("\(like) is not in the catalogue")
            }
            result = engine.similar(to: id, limit: limit)
        } else {
            let text = query.joined(separator: " ")
            let vectors = meaning(of: text, engine, library.folder)
            switch Result(catching: { () throws(QueryError) in
                try engine.search(text, limit: limit, cursor: cursor, queryVectors: vectors, stacked: !noStacks)
            }) {
            case let .success(found): result = found
            case let .failure(error): throw ValidationError(error.message)
            }
        }
        let output = SearchAnswer(result, hits: result.hits.map { hit in
            Hit(path: root + hit.path, id: hit.id, score: hit.score, caption: hit.caption, why: hit.why, match: hit.match,
                semantic: hit.semantic, stack: hit.stack.map { Stack(members: $0.members.map { root + $0 }, kind: $0.kind) })
        })
        if json { return try JSONOutput.print(output) }
        if let message = output.message { print(message) }
        if !output.understood.isEmpty {
            print("understood: " + output.understood.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        }
        let sure = output.total - output.mightMatch
        if sure > 0 { print("\(output.totalIsEstimate ? "about " : "")\(sure) photo\(sure == 1 ? "" : "s")") }
        if output.mightMatch > 0 { print("\(output.mightMatch) more might match by meaning") }
        for (number, hit) in output.hits.enumerated() {
            if output.mightMatch > 0, hit.match == .meaning, number == 0 || output.hits[number - 1].match != .meaning {
                print("might match, by meaning only:")
            }
            print(hit.path)
            if let stack = hit.stack { print("    \(stack.kind.rawValue) stack of \(stack.members.count): " + stack.members.dropFirst().joined(separator: ", ")) }
            print("    " + hit.why.joined(separator: "; "))
        }
        if let cursor = output.cursor { print("more: --cursor \(cursor)") }
    }

    /// The query's vector from the worker, when the library has vectors of its model and semantic search is on.
    private func meaning(of text: String, _ engine: SearchEngine, _ dataFolder: String) -> [String: [Float]] {
        // Only the words carry meaning; a query of filters alone does not start the worker.
        guard !noSemantic, !engine.vectorModels.isEmpty, let query = try? engine.parse(text),
              let words = QueryMeaning.words(of: query), let command = WorkerLocator.command() else { return [:] }
        let client = VisionOptions.localWorker(command + VisionOptions.queryWorkerSwitch, dataFolder: dataFolder)
        defer { client.shutdown() }
        return ((try? client.embed([words])) ?? [:]).compactMapValues(\.first)
    }
}
