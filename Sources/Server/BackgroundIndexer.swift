import Foundation
import Indexer
import Logging
import Vision

/// Indexes and then watches folders on a thread of its own while the server answers; each finished run
/// swaps a fresh snapshot into the library.
public final class BackgroundIndexer: @unchecked Sendable {
    let indexer: LibraryIndexer
    let library: LiveLibrary
    let roots: [String]
    let excludes: [String]
    let vision: VisionService?
    let readText: Bool
    let writeBack: WriteBackMode?
    let logger = Logger(label: "viewfinder.indexing")

    public init(indexer: LibraryIndexer, library: LiveLibrary, roots: [String], excludes: [String], vision: VisionService?,
                readText: Bool, writeBack: WriteBackMode?) {
        self.indexer = indexer
        self.library = library
        self.roots = roots
        self.excludes = excludes
        self.vision = vision
        self.readText = readText
        self.writeBack = writeBack
    }

    public func start() {
        library.indexing.refresh = { [library, logger] in library.refreshSoon(logger: logger) }
        let thread = Thread { [self] in
            do {
                let first = try runOnce(roots)
                let watcher = LibraryWatcher(roots: first.roots, excludes: excludes)
                library.indexing.update { $0.watching = first.roots }
                try watcher.watch {
                    _ = try runOnce(first.roots)
                    return true
                }
            } catch {
                logger.error("background indexing stopped", metadata: ["error": "\(error)"])
                library.indexing.update { $0.running = false; $0.phase = "stopped: \(error)" }
            }
        }
        thread.name = "indexing"
        thread.start()
    }

    private func runOnce(_ folders: [String]) throws -> IndexSummary {
        library.indexing.update { $0.running = true }
        let summary = try indexer.run(roots: folders, excludes: excludes, previews: true, vision: vision, readText: readText,
                                      writeBack: writeBack, progress: library.indexing)
        try library.reload()
        library.indexing.update {
            $0.running = false
            $0.phase = nil
            $0.lastRunFinishedAt = Date()
            $0.visionUnavailable = summary.visionUnavailable
        }
        logger.info("indexing run finished", metadata: [
            "indexed": "\(summary.indexed)", "removed": "\(summary.removed)", "failed": "\(summary.failed)",
            "described": "\(summary.described)", "seconds": "\(summary.seconds)",
        ])
        return summary
    }
}
