import ArgumentParser
import Foundation
import Catalogue
import SQLiteCatalogue

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Counts: photos, pending jobs, errors and warnings by stage.",
        discussion: """
            Examples:
              viewfinder status
              viewfinder status --json | jq .pendingJobs
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Print as JSON.")
    var json = false

    struct Output: Encodable {
        var dataFolder: String
        var photos: Int
        var duplicates: Int
        var missing: Int
        /// Photos hidden because their whole folder vanished, kept until they return or the grace period ends.
        var offline: Int
        var offlineReasons: [String: Int]
        /// Photos the AI models have described.
        var described: Int
        var pendingJobs: [String: Int]
        var errors: [String: Int]
        var warnings: [String: Int]
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let status = try library.store.status()
        let output = Output(dataFolder: library.folder, photos: status.photos, duplicates: status.duplicates,
                            missing: status.missing, offline: status.offline, offlineReasons: status.offlineReasons,
                            described: status.described, pendingJobs: status.pendingJobs, errors: status.errors,
                            warnings: status.warnings)
        if json { return try JSONOutput.print(output) }
        func describe(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        print("""
            data folder   \(library.folder)
            photos        \(status.photos) (\(status.duplicates) duplicate\(status.duplicates == 1 ? "" : "s"))
            described     \(status.described) by the AI models
            pending jobs  \(describe(status.pendingJobs))
            errors        \(describe(status.errors))
            warnings      \(describe(status.warnings))
            """)
        for (reason, count) in status.offlineReasons.sorted(by: { $0.key < $1.key }) {
            print("offline       \(count) photo\(count == 1 ? "" : "s"): \(reason) (`viewfinder prune` removes them now)")
        }
    }
}
