import CShims
import Foundation
import Logging
import Media
import Store
import Vision
import ViewfinderCore

/// What one run did.
public struct IndexSummary: Codable, Sendable, Equatable {
    public var roots: [String] = []
    public var filesSeen = 0
    public var unchanged = 0
    public var queued = 0
    public var indexed = 0
    public var touched = 0
    public var moved = 0
    public var failed = 0
    public var withWarnings = 0
    public var removed = 0
    public var previews = 0
    public var described = 0
    /// Why photos could not be described this run (the worker did not start), if so.
    public var visionUnavailable: String?
    public var unreadableFolders: [String] = []
    public var seconds = 0.0
}

/// Crawls library folders into the store: a scan that costs a stat per file, then the durable job queue
/// worked through by one thread per core, then the previews.
public final class LibraryIndexer: Sendable {
    let store: PhotoStore
    let renditions: RenditionStore
    let limits: IndexingLimits
    let threads: Int
    let logger: Logger
    let crashLog: String?

    public init(store: PhotoStore, renditions: RenditionStore, limits: IndexingLimits = IndexingLimits(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, crashLog: String? = nil,
                logger: Logger = Logger(label: "viewfinder.indexer")) {
        self.store = store
        self.renditions = renditions
        self.limits = limits
        self.threads = max(1, threads)
        self.logger = logger
        self.crashLog = crashLog
    }

    /// Brings the store up to date with the folders: new, changed, moved and deleted files; then has the
    /// models describe new photos when a vision service is given.
    public func run(roots: [String], excludes: [String] = [], previews: Bool = true, vision: VisionService? = nil,
                    readText: Bool = true, writeBack: WriteBackMode? = nil,
                    progress: ProgressSink = SilentProgress()) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        summary.roots = roots.map(Self.canonical)
        try blameCrashes()
        try scan(summary.roots, walker: LibraryWalker(excludes: excludes), into: &summary, progress: progress)
        try work(.index, into: &summary, progress: progress)
        summary.removed = try removeVanished(summary.roots)
        if previews { try work(.preview, into: &summary, progress: progress) }
        if let vision {
            let describer = BatchingDescriber(vision)
            try work(.describe, into: &summary, progress: progress, describer: describer, readText: readText, writeBack: writeBack)
            summary.visionUnavailable = describer.unavailable?.reason
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// An absolute path without symbolic links, so the same folder is always the same key.
    public static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Reads the jobs an earlier process held when it crashed, counts the crash against them, and
    /// arms the guard for this process.
    private func blameCrashes() throws {
        guard let crashLog else { return }
        if let text = try? String(contentsOfFile: crashLog, encoding: .utf8) {
            let ids = text.split(separator: "\n").compactMap { Int64($0) }
            if !ids.isEmpty { logger.warning("the last run crashed; its photos will be retried one at a time", metadata: ["jobs": "\(ids)"]) }
            try store.recordCrash(jobIDs: ids)
        }
        _ = truncate(crashLog, 0)
        if vf_crash_guard_install(crashLog) != 0 {
            logger.warning("cannot write the crash log", metadata: ["path": "\(crashLog)"])
        }
    }

    private func scan(_ roots: [String], walker: LibraryWalker, into summary: inout IndexSummary,
                      progress: ProgressSink) throws {
        let started = Date()
        for root in roots {
            var known = try store.knownFiles(under: root)
            var jobs = [JobRecord]()
            var reappeared = [String]()
            var failure: Error?
            summary.unreadableFolders += walker.walk(root) { file in
                summary.filesSeen += 1
                if let record = known.removeValue(forKey: file.path), record.fileSize == file.fileSize,
                   record.modifiedAt == file.modifiedAt,
                   record.failed || record.sidecarModifiedAt == file.sidecarModifiedAt {
                    summary.unchanged += 1
                    if record.missing { reappeared.append(file.path) }
                } else {
                    jobs.append(JobRecord(kind: .index, target: file.path))
                }
                if jobs.count >= 1000 {
                    do { try store.enqueue(jobs) } catch { failure = error }
                    summary.queued += jobs.count
                    jobs.removeAll()
                }
                if summary.filesSeen % 5000 == 0 {
                    progress.report(ProgressReport(phase: .scanning, done: summary.filesSeen, total: 0, failed: 0,
                                                   elapsed: Date().timeIntervalSince(started)))
                }
            }
            if let failure { throw failure }
            try store.enqueue(jobs)
            summary.queued += jobs.count
            try store.setMissing(reappeared, false)
            let vanished = known.filter { !$0.value.missing }.map(\.key)
            try store.setMissing(vanished, true)
        }
        progress.finish(ProgressReport(phase: .scanning, done: summary.filesSeen, total: summary.filesSeen, failed: 0,
                                       elapsed: Date().timeIntervalSince(started)))
    }

    private func work(_ kind: JobKind, into summary: inout IndexSummary, progress: ProgressSink,
                      describer: BatchingDescriber? = nil, readText: Bool = true, writeBack: WriteBackMode? = nil) throws {
        let total = try store.pendingJobCount(kind)
        guard total > 0 else { return }
        let started = Date()
        let jobs = PhotoJobs(store: store, renditions: renditions, analyzer: PhotoAnalyzer(limits: limits), limits: limits,
                             describer: describer, writeBack: writeBack, readText: readText)
        let phase: ProgressReport.Phase = switch kind {
        case .index: .indexing
        case .preview: .previews
        case .describe: .describing
        }
        // Describing threads mostly wait on the model worker; more of them keep its batches full.
        let threads = kind == .describe ? max(4, self.threads * 4) : self.threads
        let pool = WorkerPool(threads: threads, deadline: limits.secondsPerFile,
                              work: { jobs.run($0) }, overdue: { jobs.overdue($0, seconds: $1) })
        defer { pool.stop() }
        var done = 0, failed = 0
        var uncommitted = [FinishedJob]()
        var lastCommit = Date()
        func commit() throws {
            try store.commit(uncommitted)
            for item in uncommitted { tally(item.change, into: &summary) }
            done += uncommitted.count
            failed += uncommitted.filter { if case .failed = $0.change { true } else { false } }.count
            uncommitted.removeAll()
            lastCommit = Date()
        }
        // Jobs no crash was seen with run in parallel; then each suspect runs alone, so a file that
        // crashes the process again is the only one blamed.
        var cursor: Int64 = 0
        var suspects = false
        while describer?.unavailable == nil {
            if !suspects, pool.queuedCount < threads * 2 {
                let batch = try store.jobs(kind, after: cursor, suspects: false, limit: threads * 4)
                if let last = batch.last?.id {
                    cursor = last
                    pool.submit(batch)
                } else {
                    suspects = true
                    cursor = 0
                }
            }
            if suspects, pool.inFlight == 0 {
                try commit()
                guard let suspect = try store.jobs(kind, after: cursor, suspects: true, limit: 1).first else { break }
                cursor = suspect.id ?? cursor
                if suspect.crashes >= 2 {
                    uncommitted.append(FinishedJob(job: suspect, change: jobs.givenUp(suspect)))
                } else {
                    pool.submit([suspect])
                }
            }
            uncommitted += pool.collect(timeout: 0.1)
            if uncommitted.count >= 64 || (!uncommitted.isEmpty && Date().timeIntervalSince(lastCommit) > 0.5) {
                try commit()
                progress.report(ProgressReport(phase: phase, done: done,
                                               total: max(total, done), failed: failed,
                                               elapsed: Date().timeIntervalSince(started)))
            }
        }
        uncommitted += pool.collect(timeout: 0)
        try commit()
        progress.finish(ProgressReport(phase: phase, done: done, total: max(total, done),
                                       failed: failed, elapsed: Date().timeIntervalSince(started)))
    }

    private func tally(_ change: CatalogueChange, into summary: inout IndexSummary) {
        switch change {
        case let .photo(_, warnings, _):
            summary.indexed += 1
            if !warnings.isEmpty { summary.withWarnings += 1 }
        case .touched: summary.touched += 1
        case .moved: summary.moved += 1
        case let .failed(problem):
            summary.failed += 1
            logger.debug("could not index", metadata: ["path": "\(problem.path)", "reason": "\(problem.reason)"])
        case .gone: break
        case .previewed: summary.previews += 1
        case .warning, .postponed, .nothingLeft: break
        case .described: summary.described += 1
        }
    }

    private func removeVanished(_ roots: [String]) throws -> Int {
        let (removed, orphans) = try store.removeMissing(under: roots)
        try renditions.remove(hashes: orphans)
        return removed
    }
}
