import CCrashGuard
import Foundation
import Logging
import Media
import Catalogue
import People
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
    /// Photos hidden rather than removed because their folder vanished whole, and why.
    public var offline = 0
    public var offlineReasons: [String] = []
    /// Previews made this run.
    public var previews = 0
    /// Of `previews`, those made by their thumbnail's decode; the rest needed a decode of their own.
    public var previewsWithThumbnails = 0
    public var described = 0
    /// Photos queued to be described again because the models changed since they were described.
    public var redescribing = 0
    /// Why photos could not be described this run (the worker did not start), if so.
    public var visionUnavailable: String?
    public var unreadableFolders: [String] = []
    /// Faces grouped this run, and the people that formed among them.
    public var facesGrouped = 0
    public var peopleFormed = 0
    /// Photos indexed before perceptual hashes were kept that got theirs from their thumbnail this run.
    public var perceptualHashesFilled = 0
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
    let offlineGrace: TimeInterval
    /// Keeps the known faces between indexing rounds, so each round's clustering reads about its new faces.
    let clusteringPass = ClusteringPass()

    /// A claim lapses this long after its last renewal: a process that vanished gives its jobs back by then.
    static let leaseSeconds = 120.0
    /// Claims are renewed this often, well inside the lease.
    static let renewSeconds = 30.0
    /// More than this share of a root's photos (and more than `massVanishing` photos) vanishing in one scan is
    /// taken for a folder that went away (a share not mounted), not for deletions.
    static let massVanishingShare = 0.2
    static let massVanishing = 100
    /// The worker may take 180 s to start, then the batch runs: a describe job is overdue only well after that.
    static let describeDeadline = 300.0

    /// - Parameters:
    ///   - crashLog: where fatal signals name the job that caused them; each process writes `crashLog.ID` of its own.
    ///   - offlineGrace: how long photos whose folder vanished whole are kept hidden before they are removed.
    public init(store: PhotoStore, renditions: RenditionStore, limits: IndexingLimits = IndexingLimits(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, crashLog: String? = nil,
                offlineGrace: TimeInterval = 30 * 86_400, logger: Logger = Logger(label: "viewfinder.indexer")) {
        self.store = store
        self.renditions = renditions
        self.limits = limits
        self.threads = max(1, threads)
        self.logger = logger
        self.crashLog = crashLog
        self.offlineGrace = offlineGrace
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
        for owner in try store.claimOwners() where ProcessIdentity.isGone(owner) {
            try store.releaseClaims(owner: owner)
        }
        try scan(summary.roots, walker: LibraryWalker(excludes: excludes), into: &summary, progress: progress)
        try work(.index, into: &summary, progress: progress, previews: previews)
        summary.removed = try removeVanished(summary.roots)
        summary.perceptualHashesFilled = try PerceptualHashBackfill.run(store, renditions: renditions)
        if previews { try work(.preview, into: &summary, progress: progress) }
        if let vision {
            summary.redescribing = try reconcileModels(vision)
            let describer = BatchingDescriber(vision)
            try work(.describe, into: &summary, progress: progress, describer: describer, readText: readText, writeBack: writeBack)
            summary.visionUnavailable = describer.unavailable?.reason
        }
        // After the descriptions are committed: faces described here or by another process join their people,
        // and names other programs wrote over those faces (XMP regions) name them.
        let named = Array(Set(try store.facesToCluster(limit: Int.max).map(\.key.photoID))).sorted()
        (summary.facesGrouped, summary.peopleFormed) = try clusteringPass.run(store)
        try RegionFaces.seedPeople(photos: named, in: store)
        if let writeBack {
            let people = try PeopleWriteBack.run(store, mode: writeBack)
            for failure in people.failures { logger.warning("named faces not written back: \(failure)") }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// An absolute path without symbolic links, so the same folder is always the same key.
    public static func canonical(_ path: String) -> String {
        guard let resolved = FileSystemPath.withCString(path, { realpath($0, nil) }) else {
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        defer { free(resolved) }
        return FileSystemPath.string(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self),
                                                         count: strlen(resolved)))
    }

    /// Reads the jobs that processes which have since died were running when they crashed, counts the crash
    /// against them, and arms the guard for this process. Logs of processes still running are theirs.
    private func blameCrashes() throws {
        guard let crashLog else { return }
        let folder = (crashLog as NSString).deletingLastPathComponent, base = (crashLog as NSString).lastPathComponent
        let own = crashLog + "." + ProcessIdentity.current.replacingOccurrences(of: "/", with: "%")
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(base + ".") }
        for name in logs {
            let path = folder + "/" + name
            guard path != own, ProcessIdentity.isGone(String(name.dropFirst(base.count + 1)).replacingOccurrences(of: "%", with: "/"))
            else { continue }
            let ids = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int64($0) }
            if !ids.isEmpty { logger.warning("a run crashed; its photos will be retried one at a time", metadata: ["jobs": "\(ids)"]) }
            try store.recordCrash(jobIDs: ids)
            try? FileManager.default.removeItem(atPath: path)
        }
        _ = truncate(own, 0)
        if vf_crash_guard_install(own) != 0 {
            logger.warning("cannot write the crash log", metadata: ["path": "\(own)"])
        }
    }

    private func scan(_ roots: [String], walker: LibraryWalker, into summary: inout IndexSummary,
                      progress: ProgressSink) throws {
        let started = Date()
        for root in roots {
            var known = try store.knownFiles(under: root)
            let photosKnown = known.values.filter { !$0.failed && !$0.missing }.count
            var jobs = [JobRecord]()
            var reappeared = [String]()
            var failure: Error?
            var seen = 0
            let unreadable = walker.walk(root) { file in
                summary.filesSeen += 1
                seen += 1
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
            summary.unreadableFolders += unreadable.map(\.description)
            // What lay below a folder that could not be listed is not known to be gone.
            let vanished = known.filter { path, record in !record.missing && !unreadable.contains { $0.holds(path) } }
            let photos = vanished.filter { !$0.value.failed }.map(\.key)
            if let reason = wentAway(root, seen: seen, vanished: photos.count, of: photosKnown) {
                try store.setOffline(photos, reason: reason, since: Date().timeIntervalSince1970)
                try store.setMissing(vanished.filter(\.value.failed).map(\.key), true)
                summary.offline += photos.count
                summary.offlineReasons.append(reason)
                logger.warning("photos kept offline instead of removed", metadata: ["root": "\(root)", "reason": "\(reason)"])
            } else {
                try store.setMissing(Array(vanished.keys), true)
            }
        }
        progress.finish(ProgressReport(phase: .scanning, done: summary.filesSeen, total: summary.filesSeen, failed: 0,
                                       elapsed: Date().timeIntervalSince(started)))
    }

    /// The setting holding the local model files' stamp the descriptions were last reconciled with.
    static let modelFilesKey = "modelFiles"

    /// Queues photos described by other weights than the worker's now (an upgrade's new export, a model installed
    /// or removed). The worker is asked only when it starts anyway, when its files changed, or when it is remote.
    private func reconcileModels(_ vision: VisionService) throws -> Int {
        let stamp = vision.modelFilesStamp
        guard try store.pendingJobCount(.describe) > 0 || stamp == nil || store.setting(Self.modelFilesKey) != stamp else {
            return 0
        }
        guard let models = try? vision.connect() else { return 0 }  // unavailable: the describe phase says so
        let queued = try store.redescribe(unlessMadeBy: models.filter { $0.contains("@") })
        try store.setSetting(Self.modelFilesKey, stamp)
        if queued > 0 { logger.notice("the models changed: photos will be described again", metadata: ["photos": "\(queued)"]) }
        return queued
    }

    /// Why the photos that vanished under a root look like a folder gone away rather than deletions, or nil.
    private func wentAway(_ root: String, seen: Int, vanished: Int, of known: Int) -> String? {
        guard vanished > 0 else { return nil }
        if seen == 0 { return "\(root) is empty (a share or disk not mounted?)" }
        if vanished > Self.massVanishing, Double(vanished) > Self.massVanishingShare * Double(known) {
            return "\(vanished) of \(known) photos under \(root) vanished in one scan"
        }
        return nil
    }

    /// - Parameter previews: index jobs make a JPEG's preview from its thumbnail's decode.
    private func work(_ kind: JobKind, into summary: inout IndexSummary, progress: ProgressSink,
                      describer: BatchingDescriber? = nil, readText: Bool = true, writeBack: WriteBackMode? = nil,
                      previews: Bool = false) throws {
        let total = try store.pendingJobCount(kind)
        guard total > 0 else { return }
        let started = Date()
        let jobs = PhotoJobs(store: store, renditions: renditions, analyzer: PhotoAnalyzer(limits: limits),
                             videos: VideoAnalyzer(limits: limits), limits: limits,
                             describer: describer, writeBack: writeBack, readText: readText, previews: previews)
        let phase: ProgressReport.Phase = switch kind {
        case .index: .indexing
        case .preview: .previews
        case .describe: .describing
        }
        // Describing threads mostly wait on the model worker; more of them keep its batches full.
        let threads = kind == .describe ? max(4, self.threads * 4) : self.threads
        // A describe job waits on a shared batch and perhaps the worker's start, not on one file.
        let deadline = kind == .describe ? max(limits.secondsPerFile, Self.describeDeadline) : limits.secondsPerFile
        let pool = WorkerPool(threads: threads, deadline: deadline, allowance: { jobs.readingAllowance($0) },
                              work: { jobs.run($0) }, overdue: { jobs.overdue($0, seconds: $1) })
        defer { pool.stop() }
        var done = 0, failed = 0
        var uncommitted = [FinishedJob]()
        var lastCommit = Date()
        let owner = ProcessIdentity.current
        func claim() -> JobClaim { JobClaim(owner: owner, until: Date().timeIntervalSince1970 + Self.leaseSeconds) }
        var lastRenewal = Date()
        // Postponed work and jobs not reached go back to the queue for any process.
        defer { try? store.releaseClaims(owner: owner) }
        // Content no photo holds any more; its thumbnails go once no job still in flight may have counted on them.
        var replaced = Set<String>()
        func commit() throws {
            replaced.formUnion(try store.commit(uncommitted, owner: owner).orphans)
            // The data folder failed: what finished is stored, the rest stays queued for the next run.
            for item in uncommitted { if case let .stopped(failure) = item.change { throw failure } }
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
                let batch = try store.claimJobs(kind, after: cursor, suspects: false, limit: threads * 4, for: claim())
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
                guard let suspect = try store.claimJobs(kind, after: cursor, suspects: true, limit: 1, for: claim()).first else { break }
                cursor = suspect.id ?? cursor
                if suspect.crashes >= 2 {
                    uncommitted.append(FinishedJob(job: suspect, change: jobs.givenUp(suspect)))
                } else {
                    pool.submit([suspect])
                }
            }
            uncommitted += pool.collect(timeout: 0.1)
            if Date().timeIntervalSince(lastRenewal) > Self.renewSeconds {
                try store.renewClaims(claim())
                lastRenewal = Date()
            }
            if uncommitted.count >= 64 || (!uncommitted.isEmpty && Date().timeIntervalSince(lastCommit) > 0.5) {
                try commit()
                // Several processes (on several machines) may share the run: what left the queue is done, by whoever.
                let shared = total - (try store.pendingJobCount(kind))
                progress.report(ProgressReport(phase: phase, done: max(done, min(shared, total)),
                                               total: max(total, done), failed: failed,
                                               elapsed: Date().timeIntervalSince(started)))
            }
        }
        uncommitted += pool.collect(timeout: 0)
        try commit()
        try renditions.remove(hashes: try replaced.filter { try store.photos(withContentHash: $0).isEmpty }.sorted())
        summary.previews += jobs.previewsMade.total
        summary.previewsWithThumbnails += jobs.previewsMade.total
        let shared = total - (try store.pendingJobCount(kind))
        progress.finish(ProgressReport(phase: phase, done: max(done, min(shared, total)), total: max(total, done),
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
        case .warning, .postponed, .stopped, .nothingLeft: break
        case .described: summary.described += 1
        }
    }

    private func removeVanished(_ roots: [String]) throws -> Int {
        // Another process still indexing may find a vanished photo moved: its row must be there to move.
        guard try store.pendingJobCount(.index) == 0 else { return 0 }
        let (removed, orphans) = try store.removeMissing(under: roots, offlineBefore: Date().timeIntervalSince1970 - offlineGrace)
        try renditions.remove(hashes: orphans)
        return removed
    }
}
