import ArgumentParser
import Catalogue
import Foundation
import Indexer
import PostgresCatalogue
import SQLiteCatalogue

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a library's catalogue and thumbnails between a data folder (SQLite) and PostgreSQL, verified.",
        discussion: """
            Copies everything the catalogue holds: photos (with their ids),
            descriptions, vectors, problems, offline photos, queued jobs (claims
            dropped), settings, thumbnails and previews. The copy is a catalogue of its
            own: a search snapshot saved from the source is rebuilt, not taken for it.

            Stop every process writing to either side first. A copy that is interrupted
            (killed, a lost connection, a full disk) carries on when the same command
            runs again; the target must be empty or such a partial copy of the same
            source, anything else is refused. At the end both sides are read whole and
            compared, kind by kind, by count and by SHA-256 over every row in key order;
            the exit status is non-zero if anything differs.

            Examples:
              viewfinder migrate --from ~/.local/share/viewfinder \\
                  --to postgresql://viewfinder@db.lan/photos
              viewfinder migrate --from postgresql://viewfinder@db.lan/photos \\
                  --to /srv/viewfinder-data
              viewfinder migrate --json --from DATA --to URL | jq .verified
            """)

    @Option(name: .long, help: ArgumentHelp("The catalogue to copy: a data folder, or a postgresql:// URL.", valueName: "folder-or-url"))
    var from: String

    @Option(name: .long, help: ArgumentHelp(
        "Where to copy it: a data folder (made if missing), or a postgresql:// URL of an empty database.", valueName: "folder-or-url"))
    var to: String

    @Flag(name: .long, help: "Print {\"photos\", \"descriptions\", \"vectors\", ..., \"renditions\", \"copied\", \"hash\", \"verified\"} as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "Log details to standard error.")
    var verbose = false

    func run() throws {
        CommonOptions.bootstrapLogging(verbose: verbose)
        guard Self.same(from) != Self.same(to) else { throw ValidationError("--from and --to name the same catalogue") }
        let started = Date()
        let source = try Self.open(from, create: false)
        let target = try Self.open(to, create: true)
        let copy = CatalogueCopy(source: source, target: target, progress: TerminalProgress())
        try copy.claimTarget()
        let added = try copy.copy()
        let (before, after) = (try CatalogueCopy.summary(of: source), try CatalogueCopy.summary(of: target))
        let differing = zip(before, after).filter { pair in pair.0.summary != pair.1.summary }.map { pair in
            let (mine, copied) = (pair.0.summary, pair.1.summary)
            return "\(pair.0.kind.rawValue) (\(mine.count) in the source, \(copied.count) in the copy"
                + (mine.count == copied.count ? ", the rows differ)" : ")")
        }
        var whole = try RowHasher()
        for part in after { whole.add(TransferRow(cells: [.text(part.kind.rawValue), .text(part.summary.hash)])) }
        let output = Output(counts: after.map { (kind: $0.kind, count: $0.summary.count) }, copied: added, hash: whole.finish(),
                            verified: differing.isEmpty, seconds: Date().timeIntervalSince(started))
        if json {
            try JSONOutput.print(output)
        } else {
            print(String(format: "copied %d new rows from %@ to %@ in %.1f s", added, source.name, target.name, output.seconds))
            for (kind, count) in output.counts { print(kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + String(count)) }
            if differing.isEmpty { print("verified: every row equal on both sides (sha256 \(output.hash))") }
        }
        if differing.isEmpty, let identity = try source.facts.setting("catalogue") {
            try target.facts.setSetting(TransferKind.finishedCopySetting, identity)
        }
        guard differing.isEmpty else {
            throw MigrateFailure(description: """
                the copy differs from the source: \(differing.joined(separator: "; ")). Did something write to either \
                side meanwhile? Stop it, then copy again into an empty target
                """)
        }
    }

    /// A data folder or a PostgreSQL catalogue, with its rows for copying.
    static func open(_ place: String, create: Bool) throws -> CopyEnd {
        if PostgresAddress.isPostgres(place) {
            let store = try PostgresStore(url: place)
            return CopyEnd(facts: store, rows: PostgresTransfer(store), name: store.display)
        }
        let library = try Library(dataFolder: place, store: nil, mounts: try LibraryMounts([:]), create: create)
        guard let embedded = library.embedded else { throw MigrateFailure(description: "\(place) holds no embedded catalogue") }
        return CopyEnd(facts: embedded.store, rows: SQLiteTransfer(store: embedded.store, renditions: embedded.renditions),
                       name: library.location)
    }

    /// A place as compared with the other: a folder by its canonical path.
    static func same(_ place: String) -> String {
        PostgresAddress.isPostgres(place) ? place : LibraryIndexer.canonical(place)
    }

    /// Counts per kind of row in the copy as top-level keys, beside the totals.
    struct Output: Encodable {
        var counts: [(kind: TransferKind, count: Int)]
        var copied: Int
        var hash: String
        var verified: Bool
        var seconds: Double

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (kind, count) in counts { try container.encode(count, forKey: Key(kind.rawValue)) }
            try container.encode(copied, forKey: Key("copied"))
            try container.encode(hash, forKey: Key("hash"))
            try container.encode(verified, forKey: Key("verified"))
            try container.encode(seconds, forKey: Key("seconds"))
        }
    }
}
