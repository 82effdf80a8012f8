import ArgumentParser
import Foundation
import Catalogue
import SQLiteCatalogue

struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors",
        abstract: "Every file that could not be indexed, with a one-line reason.",
        discussion: """
            Examples:
              viewfinder errors
              viewfinder errors --warnings          also photos indexed despite damage
              viewfinder errors --json | jq -r '.[].path'
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Also list warnings: photos indexed despite damaged data or metadata.")
    var warnings = false

    @Flag(name: .long, help: "Print as JSON: [{path, stage, severity, reason}].")
    var json = false

    struct Entry: Encodable {
        var path: String
        var stage: String
        var severity: String
        var reason: String
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let entries = try library.store.problems()
            .filter { warnings || $0.severity == .error }
            .map { Entry(path: $0.path, stage: $0.stage.rawValue, severity: $0.severity.rawValue, reason: $0.reason) }
        if json { return try JSONOutput.print(entries) }
        if entries.isEmpty { return print(warnings ? "no errors or warnings" : "no errors") }
        for entry in entries {
            let label = entry.severity == "error" ? "" : " (warning)"
            print("\(entry.path)\n    \(entry.stage)\(label): \(entry.reason)")
        }
    }
}
