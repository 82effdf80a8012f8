import ArgumentParser
import Logging
import Catalogue
import SQLiteCatalogue

@main
struct Viewfinder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "viewfinder",
        abstract: "Makes a photo library on disk searchable: crawl, read metadata, make thumbnails, describe with AI.",
        discussion: """
            Examples:
              viewfinder serve ~/Pictures                 index, watch and serve the search page on :8080
              viewfinder index ~/Pictures                 index (incrementally) and print a summary
              viewfinder search cat sofa 2019             search: words, typos, filters, meaning
              viewfinder status --json                    counts of photos, pending jobs and errors
              viewfinder show ~/Pictures/2019/IMG_0042.JPG  everything known about one photo
              viewfinder errors                           files that could not be indexed, and why
              viewfinder prune                            remove photos kept offline (their folder vanished)
              viewfinder organise ~/Card --into ~/Pictures  plan a dated layout (YYYY/MM); --apply copies into it
              viewfinder backup /mnt/backup/viewfinder    a consistent copy of the catalogue, even while serving
              viewfinder migrate --from ~/.local/share/viewfinder --to postgresql://me@db/photos
                                                          copy the catalogue into PostgreSQL (or back), verified
              viewfinder eval --labels LABELS.tsv         how well the AI descriptions match ground truth
              viewfinder models list                      optional models (CLIP, a neural captioner)
              viewfinder worker serve --host 0.0.0.0      serve the models to indexers on other machines

            The data folder (catalogue and thumbnails) is --data, else $VIEWFINDER_DATA, else
            $XDG_DATA_HOME/viewfinder (~/.local/share/viewfinder).
            """,
        subcommands: [ServeCommand.self, PasswordCommand.self, IndexCommand.self, SearchCommand.self, StatusCommand.self, ShowCommand.self, PeopleCommand.self, DuplicatesCommand.self, ErrorsCommand.self, PruneCommand.self, OrganiseCommand.self, BackupCommand.self, MigrateCommand.self, EvalCommand.self,
                      ModelsCommand.self, WorkerCommand.self])
}

extension Viewfinder {
    /// As ArgumentParser's own, but a failing data folder (a full disk, a damaged catalogue) is said in words.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: StoreFailure(error, file: "the data folder") ?? error)
        }
    }
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder for the catalogue and thumbnails (default: $VIEWFINDER_DATA, else the XDG data folder).")
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "The catalogue in PostgreSQL (postgresql://user@host/db), shared by indexers and servers on several machines (default: $VIEWFINDER_STORE, else SQLite in the data folder).",
        valueName: "url"))
    var store: String?

    @Option(name: .customLong("library"), help: ArgumentHelp(
        "A named library and where it is mounted on this machine (repeatable; also read from DATA/libraries): the catalogue keeps paths below PATH relative to NAME, so another machine mounting NAME elsewhere finds them.",
        valueName: "name=path"))
    var libraries: [String] = []

    @Flag(name: .shortAndLong, help: "Log details to standard error.")
    var verbose = false

    /// - Parameter level: what is logged without --verbose.
    func bootstrapLogging(default level: Logger.Level = .warning) {
        Self.bootstrapLogging(verbose: verbose, default: level)
    }

    /// For commands without a data folder or store of their own (`migrate` names two).
    static func bootstrapLogging(verbose: Bool, default level: Logger.Level = .warning) {
        let level: Logger.Level = verbose ? .debug : level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    func openLibrary(create: Bool = false) throws -> Library {
        let folder = DataFolder.resolve(data)
        return try Library(dataFolder: folder, store: StoreLocation.resolve(store), mounts: NamedLibraries.resolve(libraries, dataFolder: folder),
                           create: create)
    }
}
