import ArgumentParser
import Foundation
import Catalogue
import SQLiteCatalogue

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove offline photos now: those whose whole folder vanished (see `viewfinder status`).",
        discussion: """
            Indexing never removes photos whose folder vanished whole (an empty mount point, more than a fifth
            of a folder's photos gone at once): they stay offline, hidden from search with their descriptions
            and thumbnails kept, and come back as they were when the files return. They are removed after
            --offline-days (30 by default), or now by this command. Files on disk are never touched.

            Examples:
              viewfinder status                   how many photos are offline, and why
              viewfinder prune
              viewfinder prune --json | jq .removed
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Print {\"removed\": N} as JSON.")
    var json = false

    struct Output: Encodable {
        var removed: Int
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let (removed, orphans) = try library.store.removeOffline()
        try library.renditions.remove(hashes: orphans)
        if json { return try JSONOutput.print(Output(removed: removed)) }
        print(removed == 0 ? "no photos are offline" : "removed \(removed) offline photo\(removed == 1 ? "" : "s") from the catalogue")
    }
}
