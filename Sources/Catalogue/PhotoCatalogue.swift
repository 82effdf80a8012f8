import ViewfinderCore

/// What a scan needs to know about a path it finds on disk.
public struct KnownFile: Sendable, Equatable {
    public var fileSize: Int64
    public var modifiedAt: Int64
    public var sidecarModifiedAt: Int64?
    /// The file is recorded as unindexable at this size and time.
    public var failed: Bool
    public var missing: Bool

    public init(fileSize: Int64, modifiedAt: Int64, sidecarModifiedAt: Int64?, failed: Bool, missing: Bool) {
        self.fileSize = fileSize
        self.modifiedAt = modifiedAt
        self.sidecarModifiedAt = sidecarModifiedAt
        self.failed = failed
        self.missing = missing
    }
}

/// The photos: what a scan compares with the disk, and what pages and write-back read.
public protocol PhotoCatalogue: Sendable {
    /// Every recorded path below `root` (photos and failed files), for comparing with what is on disk.
    func knownFiles(under root: String) throws -> [String: KnownFile]
    /// Marks photos missing (deleted at the end of the run) or present again (no longer offline either).
    func setMissing(_ paths: [String], _ missing: Bool) throws
    /// Hides photos whose folder vanished whole, keeping them and everything derived from them; the first
    /// time they went offline is kept.
    func setOffline(_ paths: [String], reason: String, since: Double) throws
    /// Deletes photos still missing below the roots after a complete run, except offline ones that went
    /// offline after `offlineBefore`; returns how many, and the content hashes no photo refers to any more,
    /// whose thumbnails can go.
    func removeMissing(under roots: [String], offlineBefore: Double) throws -> (removed: Int, orphans: [String])
    /// Deletes every offline photo now (`viewfinder prune`), wherever it was.
    func removeOffline() throws -> (removed: Int, orphans: [String])
    func photos(withContentHash hash: String) throws -> [PhotoRecord]
    func photo(atPath path: String) throws -> PhotoRecord?
    func photo(id: Int64) throws -> PhotoRecord?
    func description(photoID: Int64) throws -> DescriptionRecord?
    /// Queues every photo whose description was made by other weights than `identities` (the worker's
    /// `name@hash` entries) to be described again, newest first; returns how many. Nothing is read when the
    /// catalogue was last reconciled with the same identities.
    func redescribe(unlessMadeBy identities: [String]) throws -> Int
    /// Every photo present (neither missing nor offline), in id order: what duplicates are looked for among.
    func presentPhotos() throws -> [PhotoRecord]
    /// Up to `limit` contents, in order after `after`, held by photos without a perceptual hash (indexed before
    /// it was kept).
    func contentsWithoutPerceptualHash(after: String, limit: Int) throws -> [String]
    /// Gives every photo of each content its perceptual hash, in one transaction.
    func setPerceptualHashes(_ hashes: [String: PerceptualHash]) throws
}
