import ViewfinderCore

/// The durable job queue, shared by every process on one catalogue: a job is claimed by one process at a
/// time under a lease that lapses unless renewed, so a killed process's jobs return to the queue.
public protocol JobQueue: Sendable {
    /// Adds jobs, ignoring any already queued.
    func enqueue(_ jobs: [JobRecord]) throws
    /// Claims up to `limit` unclaimed (or lapsed) jobs of a kind with ids above `after`, in id order: those no
    /// crash was ever seen with, or (`suspects`) those in flight when a process crashed, to be run one at a time.
    func claimJobs(_ kind: JobKind, after: Int64, suspects: Bool, limit: Int, for claim: JobClaim) throws -> [JobRecord]
    /// Extends every lease `owner` holds.
    func renewClaims(_ claim: JobClaim) throws
    /// Hands back what `owner` still holds (postponed work, or a dead process's jobs).
    func releaseClaims(owner: String) throws
    /// Hands back some of what `owner` holds at once (jobs it cannot run, for a process that can).
    func releaseJobs(_ ids: [Int64], owner: String) throws
    /// The processes holding claims now.
    func claimOwners() throws -> [String]
    /// Counts a crash against the jobs that were in flight when it happened.
    func recordCrash(jobIDs: [Int64]) throws
    /// Queued jobs of one kind, or of every kind.
    func pendingJobCount(_ kind: JobKind?) throws -> Int
    /// Applies each result and deletes its job in one transaction, for the jobs `owner` still holds; a job whose
    /// claim lapsed and went to another process is left to that one.
    @discardableResult
    func commit(_ finished: [FinishedJob], owner: String) throws -> CommitOutcome
}

/// What a commit did: how many results it applied, and the content hashes that no photo holds any more (an
/// edited photo, a rewritten file), whose thumbnails can go.
public struct CommitOutcome: Sendable, Equatable {
    public var applied: Int
    public var orphans: [String]

    public init(applied: Int, orphans: [String]) {
        self.applied = applied
        self.orphans = orphans
    }
}

/// Who holds a claim, and until when (seconds since 1970).
public struct JobClaim: Sendable, Equatable {
    public var owner: String
    public var until: Double

    public init(owner: String, until: Double) {
        self.owner = owner
        self.until = until
    }
}

/// The result of one finished job, applied to the catalogue in the same transaction that deletes the job.
public enum CatalogueChange: Sendable {
    /// A photo read afresh (new, or its content or sidecar changed).
    case photo(PhotoRecord, warnings: [IndexProblem], needsPreview: Bool)
    /// Same content as recorded: only the file's size and time moved on.
    case touched(path: String, fileSize: Int64, modifiedAt: Int64)
    /// A missing photo turned up at a new path: keep everything derived from it.
    case moved(photoID: Int64, path: String, fileSize: Int64, modifiedAt: Int64)
    /// The file cannot be indexed.
    case failed(ProblemRecord)
    /// The file vanished before it could be read.
    case gone(path: String)
    /// A preview was stored for a content hash.
    case previewed
    /// Something went wrong that leaves the photo in the catalogue (a preview that cannot be made).
    case warning(ProblemRecord)
    /// Nothing done (the model worker is unavailable): the job stays queued for a later run.
    case postponed
    /// The data folder failed (a full disk): the job stays queued and the run stops, blaming no photo.
    case stopped(StoreFailure)
    /// The job's photo is gone: nothing to do, the job is finished.
    case nothingLeft
    /// What the models said about a photo; with what write-back changed on disk (recorded so the next scan
    /// does not take it for the user's change), or why write-back failed.
    case described(DescriptionRecord, vectors: [VectorRecord], rewrite: PhotoRewrite?, problem: ProblemRecord?, faces: [FaceRecord] = [])
}

/// A photo file or sidecar that write-back replaced: its new size, time and (for the file) hash.
public struct PhotoRewrite: Sendable, Equatable {
    public var fileSize: Int64
    public var modifiedAt: Int64
    public var contentHash: String?
    public var sidecarModifiedAt: Int64?
    /// The description written, which the photo's metadata now reads (nil: left as it was).
    public var description: String?

    public init(fileSize: Int64, modifiedAt: Int64, contentHash: String?, sidecarModifiedAt: Int64?, description: String?) {
        self.fileSize = fileSize
        self.modifiedAt = modifiedAt
        self.contentHash = contentHash
        self.sidecarModifiedAt = sidecarModifiedAt
        self.description = description
    }
}

public struct FinishedJob: Sendable {
    public var job: JobRecord
    public var change: CatalogueChange

    public init(job: JobRecord, change: CatalogueChange) {
        self.job = job
        self.change = change
    }
}

extension CatalogueChange {
    /// Nothing was done (postponed) or the store failed (stopped): the job stays queued, its result unapplied.
    public var keepsJobQueued: Bool {
        switch self {
        case .postponed, .stopped: true
        default: false
        }
    }
}
