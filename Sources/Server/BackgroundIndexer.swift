import Foundation
import Indexer
import Logging
import Vision

/// Indexes and then watches folders on a thread of its own while the server answers; the library follows each
/// run's changes as they are committed and is saved when a run finishes. A failed run (a store error, a folder gone) is retried with
/// back-off for as long as the server runs: indexing must never stop for good behind the user's back.
public final class BackgroundIndexer: @unchecked Sendable {
    /// The first retry comes soon (a passing hiccup); repeated failures wait longer, up to five minutes, so a
    /// lasting fault (a disk full, a share gone) is not hammered.
    static let firstRetrySeconds = 5.0
    static let lastRetrySeconds = 300.0

    let library: LiveLibrary
    let roots: [String]
    let excludes: [String]
    let firstRetry: Double
    let index: @Sendable ([String]) throws -> IndexSummary
    /// After each run: the describing worker's memory goes back until the next change brings work.
    let idle: @Sendable () -> Void
    let logger = Logger(label: "viewfinder.indexing")

    public convenience init(indexer: LibraryIndexer, library: LiveLibrary, roots: [String], excludes: [String], vision: VisionService?,
                            readText: Bool, writeBack: WriteBackMode?) {
        self.init(library: library, roots: roots, excludes: excludes, idle: { vision?.release() }) { [indexer, library] folders in
            try indexer.run(roots: folders, excludes: excludes, previews: true, vision: vision, readText: readText,
                            writeBack: writeBack, progress: library.indexing)
        }
    }

    /// - Parameter index: one indexing run over the folders.
    init(library: LiveLibrary, roots: [String], excludes: [String], firstRetry: Double = BackgroundIndexer.firstRetrySeconds,
         idle: @escaping @Sendable () -> Void = {}, index: @escaping @Sendable ([String]) throws -> IndexSummary) {
        self.library = library
        self.roots = roots
        self.excludes = excludes
        self.firstRetry = firstRetry
        self.index = index
        self.idle = idle
    }

    public func start() {
        library.indexing.refresh = { [library, logger] in library.refreshSoon(logger: logger) }
        let thread = Thread { [self] in
            var failures = 0
            while true {
                do {
                    let first = try runOnce(roots)
                    failures = 0
                    let watcher = LibraryWatcher(roots: first.roots, excludes: excludes)
                    library.indexing.update { $0.watching = first.roots }
                    try watcher.watch {
                        _ = try runOnce(first.roots)
                        return true
                    }
                    return
                } catch {
                    failures += 1
                    let wait = min(Self.lastRetrySeconds, firstRetry * pow(2, Double(failures - 1)))
                    logger.error("indexing run failed; retrying", metadata: ["error": "\(error)", "seconds": "\(wait)", "failures": "\(failures)"])
                    library.indexing.update {
                        $0.running = false
                        $0.phase = nil
                        $0.lastError = "\(error)"
                        $0.failedRuns = failures
                        $0.retryingAt = Date().addingTimeInterval(wait)
                    }
                    Thread.sleep(forTimeInterval: wait)
                }
            }
        }
        thread.name = "indexing"
        thread.start()
    }

    private func runOnce(_ folders: [String]) throws -> IndexSummary {
        // Between runs the worker has nothing to do: let it go, the next run's first photo starts it again.
        defer { idle() }
        library.indexing.update { $0.running = true; $0.retryingAt = nil }
        let summary = try index(folders)
        // What the run changed is applied as it goes; the rest now, and the snapshot saved for the next start.
        try library.catchUp()
        try library.save()
        library.indexing.update {
            $0.running = false
            $0.phase = nil
            $0.lastRunFinishedAt = Date()
            $0.visionUnavailable = summary.visionUnavailable
            $0.lastError = nil
            $0.failedRuns = 0
        }
        logger.info("indexing run finished", metadata: [
            "indexed": "\(summary.indexed)", "removed": "\(summary.removed)", "failed": "\(summary.failed)",
            "described": "\(summary.described)", "seconds": "\(summary.seconds)",
        ])
        return summary
    }
}
