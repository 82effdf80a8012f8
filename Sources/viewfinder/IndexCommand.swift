import ArgumentParser
import Foundation
import Indexer
import Logging
import ViewfinderCore

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index photo folders: new, changed, moved and deleted files since the last run.",
        discussion: """
            Incremental: an unchanged file costs one stat, nothing is read. Files that cannot be indexed are
            recorded (see `viewfinder errors`) and the run goes on; the exit status is 0 when the run completed.
            The photos themselves are only ever read.

            Examples:
              viewfinder index ~/Pictures
              viewfinder index --exclude 'Screenshots' --exclude '*.gif' /mnt/nas/photos
              viewfinder index --watch ~/Pictures          keep indexing as files change
              viewfinder index --json ~/Pictures | jq .failed
              viewfinder index --no-vision /mnt/nas/photos   metadata and thumbnails only, no AI models
              viewfinder index --worker http://gpu-box:8765 ~/Pictures   models served by another machine
              viewfinder index --write-back sidecar ~/Pictures   captions, tags and named people into photo.jpg.xmp
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Folders to index.", completion: .directory)
    var paths: [String]

    @Option(name: .long, help: "Skip files and folders whose name or library-relative path matches this glob (repeatable).")
    var exclude: [String] = []

    @OptionGroup var vision: VisionOptions

    @Flag(name: .long, help: "Skip the 1440 px previews (a JPEG's is made from its thumbnail's decode; the web page needs them).")
    var noPreviews = false

    @Flag(name: .long, help: "After indexing, keep watching the folders and index changes as they happen.")
    var watch = false

    @Option(name: .long, help: "With --watch, seconds between rescans where inotify cannot be used.")
    var pollSeconds: Double = 60

    @Option(name: .long, help: "Worker threads (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Refuse images declaring more megapixels than this (decompression bombs).")
    var maxMegapixels: Int = 250

    @Option(name: .long, help: "Seconds one file may take before it is recorded as an error and skipped.")
    var timeout: Double = 60

    @Option(name: .long, help: "Days photos whose whole folder vanished (a share not mounted) stay offline before they are removed.")
    var offlineDays: Double = 30

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("'\(path)' is not a folder")
            }
        }
        guard threads > 0, maxMegapixels > 0, timeout > 0 else {
            throw ValidationError("--threads, --max-megapixels and --timeout must be positive")
        }
        guard offlineDays >= 0, offlineDays.isFinite else { throw ValidationError("--offline-days must be 0 or more") }
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary(create: true)
        let limits = IndexingLimits(maxPixels: UInt64(maxMegapixels) * 1_000_000, secondsPerFile: timeout)
        let indexer = LibraryIndexer(store: library.store, renditions: library.renditions, limits: limits, threads: threads,
                                     crashLog: library.folder + "/crashed-jobs", offlineGrace: offlineDays * 86_400)
        let progress: ProgressSink = json ? SilentProgress() : TerminalProgress()
        let service = vision.connect(dataFolder: library.folder, quiet: json)
        defer { service?.shutdown() }
        let summary = try indexer.run(roots: paths, excludes: exclude, previews: !noPreviews, vision: service,
                                      readText: !vision.noText, writeBack: vision.writeBackMode, progress: progress)
        try report(summary)
        guard watch else { return }
        let watcher = LibraryWatcher(roots: summary.roots, excludes: exclude, pollSeconds: pollSeconds)
        if !json { FileHandle.standardError.write(Data("watching \(summary.roots.joined(separator: ", ")) for changes (Ctrl-C stops)\n".utf8)) }
        try watcher.watch {
            let changes = try indexer.run(roots: summary.roots, excludes: exclude, previews: !noPreviews, vision: service,
                                          readText: !vision.noText, writeBack: vision.writeBackMode, progress: progress)
            if changes.queued > 0 || changes.removed > 0 { try report(changes) }
            return true
        }
    }

    private func report(_ summary: IndexSummary) throws {
        if json { return try JSONOutput.print(summary) }
        var lines = [String(format: "%d files in %@, %.1f s: %d indexed, %d unchanged, %d moved, %d removed, %d failed",
                            summary.filesSeen, summary.roots.joined(separator: ", "), summary.seconds, summary.indexed,
                            summary.unchanged + summary.touched, summary.moved, summary.removed, summary.failed)]
        if summary.described > 0 { lines.append("\(summary.described) described by the AI models") }
        if summary.peopleFormed > 0 { lines.append("\(summary.peopleFormed) new people among the faces: viewfinder people") }
        if summary.redescribing > 0 {
            lines.append("the AI models changed: \(summary.redescribing) photos queued to be described again, newest first")
        }
        if let reason = summary.visionUnavailable {
            lines.append("no AI descriptions this run: \(reason); the photos stay queued for a later run")
        }
        for reason in summary.offlineReasons {
            lines.append("nothing removed: \(reason); those photos are offline (hidden, kept) until they return, "
                         + "for \(Int(offlineDays)) days, or until `viewfinder prune`")
        }
        if summary.withWarnings > 0 { lines.append("\(summary.withWarnings) indexed with warnings (damaged data or metadata)") }
        if summary.failed > 0 { lines.append("see `viewfinder errors` for what failed and why") }
        lines += summary.unreadableFolders.map { "cannot read folder \($0); nothing below it was removed" }
        print(lines.joined(separator: "\n"))
    }
}
