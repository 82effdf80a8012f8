import ArgumentParser
import Foundation
import Hummingbird
import Indexer
import Logging
import Metrics
import Prometheus
import Server
import ViewfinderCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the search page and JSON API; index and watch the given folders meanwhile.",
        discussion: """
            Opens http://127.0.0.1:8080 by default: search as you type, photo pages, timeline, folders and
            indexing status. Folders given are indexed in the background and watched for changes; photos appear
            in search as they are indexed. With no folder, the catalogue is served as it is.

            On any address other than loopback a password is required: set one with `viewfinder password`
            (stored hashed in the data folder), or VIEWFINDER_PASSWORD / VIEWFINDER_PASSWORD_HASH. Without one,
            the loopback server answers only to the Host names localhost, 127.0.0.1 and [::1] (and --allow-host).

            Examples:
              viewfinder serve ~/Pictures
              viewfinder serve --port 9000 /mnt/nas/photos
              viewfinder password && viewfinder serve --host 0.0.0.0 ~/Pictures     for the whole family
              viewfinder serve --no-vision ~/Pictures                                 no AI models
              viewfinder serve --allow-host photos.lan ~/Pictures                     another name for this machine
              viewfinder password && viewfinder serve --trust-proxy ~/Pictures        behind a TLS reverse proxy
              curl 'http://127.0.0.1:8080/api/search?q=cat&limit=5'
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Address to listen on (other than loopback, a password is required).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Argument(help: "Folders to index and watch while serving.", completion: .directory)
    var paths: [String] = []

    @Option(name: .long, help: "Skip files and folders whose name or library-relative path matches this glob (repeatable).")
    var exclude: [String] = []

    @OptionGroup var vision: VisionOptions

    @OptionGroup var network: NetworkOptions

    @Option(name: .long, help: "Indexing threads (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("'\(path)' is not a folder")
            }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() async throws {
        common.bootstrapLogging(default: .info)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let folder = DataFolder.resolve(common.data)
        let access = try AccessPolicy.load(dataFolder: folder)
        guard AccessPolicy.isLoopback(host) || access.requiresSignIn else {
            throw ValidationError("""
                serving on \(host) needs a password: run `viewfinder password` (or set VIEWFINDER_PASSWORD), \
                or serve on 127.0.0.1
                """)
        }
        // A proxy brings other machines' requests to loopback, where no password would be asked.
        guard !network.trustProxy || access.requiresSignIn else {
            throw ValidationError("--trust-proxy needs a password: run `viewfinder password` (or set VIEWFINDER_PASSWORD)")
        }
        let library = try common.openLibrary(create: true)
        let meaning = vision.noVision ? nil : QueryMeaning { [vision] in vision.connect(dataFolder: folder, quiet: true, queriesOnly: true) }
        let live = try LiveLibrary(store: library.store, renditions: library.renditions, meaning: meaning,
                                   roots: paths.map(LibraryIndexer.canonical), savedAt: library.savedSearch)
        live.follow(logger: Logger(label: "viewfinder.library"))
        defer { meaning?.shutdown() }
        let describer = paths.isEmpty ? nil : vision.connect(dataFolder: folder, quiet: false)
        defer { describer?.shutdown() }
        if !paths.isEmpty {
            let indexer = LibraryIndexer(store: library.store, renditions: library.renditions, limits: IndexingLimits(),
                                         threads: threads, crashLog: folder + "/crashed-jobs")
            BackgroundIndexer(indexer: indexer, library: live, roots: paths, excludes: exclude, vision: describer,
                              readText: !vision.noText, writeBack: vision.writeBackMode).start()
        }
        let logger = Logger(label: "viewfinder.server")
        let server = ViewfinderServer(library: live, access: access, network: network.policy(host: host, access: access), metrics: registry)
        FileHandle.standardError.write(Data("""
            viewfinder: serving \(live.snapshot.photos.count) photos at http://\(host):\(port)\
            \(paths.isEmpty ? "" : " (indexing \(paths.joined(separator: ", ")) in the background)")\n
            """.utf8))
        try await server.application(host: host, port: port, logger: logger).runService()
    }
}
