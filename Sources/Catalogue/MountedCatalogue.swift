import Foundation
import ViewfinderCore

/// A catalogue seen from one machine: paths go in as this machine has them and are kept relative to the named
/// library they are in (see `LibraryMounts`), and come back out under this machine's roots. Photos of a library
/// not mounted here keep their catalogue path, which no file here answers to: they are neither read, nor
/// marked missing, nor removed by this machine.
public final class MountedCatalogue: Sendable {
    public let base: any PhotoStore
    public let mounts: LibraryMounts

    public init(_ base: any PhotoStore, mounts: LibraryMounts) {
        self.base = base
        self.mounts = mounts
    }

    func inward(_ photo: PhotoRecord) -> PhotoRecord {
        var photo = photo
        photo.path = mounts.stored(photo.path)
        return photo
    }

    func outward(_ photo: PhotoRecord) -> PhotoRecord {
        var photo = photo
        photo.path = mounts.shown(photo.path)
        return photo
    }

    func inward(_ problem: ProblemRecord) -> ProblemRecord {
        var problem = problem
        problem.path = mounts.stored(problem.path)
        return problem
    }

    func outward(_ problem: ProblemRecord) -> ProblemRecord {
        var problem = problem
        problem.path = mounts.shown(problem.path)
        return problem
    }

    func inward(_ job: JobRecord) -> JobRecord {
        guard job.kind == .index else { return job }
        var job = job
        job.target = mounts.stored(job.target)
        return job
    }

    func inward(_ change: CatalogueChange) -> CatalogueChange {
        switch change {
        case let .photo(photo, warnings, needsPreview):
            .photo(inward(photo), warnings: warnings, needsPreview: needsPreview)
        case let .touched(path, fileSize, modifiedAt):
            .touched(path: mounts.stored(path), fileSize: fileSize, modifiedAt: modifiedAt)
        case let .moved(photoID, path, fileSize, modifiedAt):
            .moved(photoID: photoID, path: mounts.stored(path), fileSize: fileSize, modifiedAt: modifiedAt)
        case let .failed(problem):
            .failed(inward(problem))
        case let .gone(path):
            .gone(path: mounts.stored(path))
        case let .warning(problem):
            .warning(inward(problem))
        case let .described(description, vectors, rewrite, problem, faces):
            .described(description, vectors: vectors, rewrite: rewrite, problem: problem.map(inward), faces: faces)
        case .previewed, .postponed, .stopped, .nothingLeft:
            change
        }
    }
}

extension MountedCatalogue: PhotoCatalogue {
    /// Photos kept by absolute path below a named root were indexed before the library was named: a scan marks
    /// them missing before it compares, so each file found again is taken as that photo moved to its
    /// library path (its description and vectors kept), and those not found are removed at the end of the run.
    public func knownFiles(under root: String) throws -> [String: KnownFile] {
        var known = [String: KnownFile]()
        for folder in mounts.storedFolders(root) {
            for (path, file) in try base.knownFiles(under: folder) where mounts.stored(path) == path || !path.hasPrefix("/") {
                known[mounts.shown(path)] = file
            }
        }
        // Only a mounted share is adopted: an empty mount point must not make every photo of the library vanish.
        for folder in namedFolders(root) where !((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty {
            let unnamed = try base.knownFiles(under: folder).filter { !$0.value.missing }
            try base.setMissing(Array(unnamed.keys), true)
        }
        return known
    }

    /// Where the named libraries a folder covers are on this machine, as paths were kept before they were named.
    func namedFolders(_ root: String) -> [String] {
        mounts.storedFolders(root).filter { !$0.hasPrefix("/") }.compactMap(mounts.local)
    }

    public func setMissing(_ paths: [String], _ missing: Bool) throws {
        try base.setMissing(paths.map(mounts.stored), missing)
    }

    public func setOffline(_ paths: [String], reason: String, since: Double) throws {
        try base.setOffline(paths.map(mounts.stored), reason: reason, since: since)
    }

    public func removeMissing(under roots: [String], offlineBefore: Double) throws -> (removed: Int, orphans: [String]) {
        try base.removeMissing(under: roots.flatMap { mounts.storedFolders($0) + namedFolders($0) }, offlineBefore: offlineBefore)
    }

    public func removeOffline() throws -> (removed: Int, orphans: [String]) {
        try base.removeOffline()
    }

    public func photos(withContentHash hash: String) throws -> [PhotoRecord] {
        try base.photos(withContentHash: hash).map(outward)
    }

    public func photo(atPath path: String) throws -> PhotoRecord? {
        try base.photo(atPath: mounts.stored(path)).map(outward)
    }

    public func photo(id: Int64) throws -> PhotoRecord? {
        try base.photo(id: id).map(outward)
    }

    public func description(photoID: Int64) throws -> DescriptionRecord? {
        try base.description(photoID: photoID)
    }

    public func redescribe(unlessMadeBy identities: [String]) throws -> Int {
        try base.redescribe(unlessMadeBy: identities)
    }

    public func presentPhotos() throws -> [PhotoRecord] { try base.presentPhotos().map(outward) }

    public func contentsWithoutPerceptualHash(after: String, limit: Int) throws -> [String] {
        try base.contentsWithoutPerceptualHash(after: after, limit: limit)
    }

    public func setPerceptualHashes(_ hashes: [String: PerceptualHash]) throws { try base.setPerceptualHashes(hashes) }
}

extension MountedCatalogue: JobQueue {
    public func enqueue(_ jobs: [JobRecord]) throws {
        try base.enqueue(jobs.map(inward))
    }

    /// Jobs for files of a library not mounted here are handed back to the queue at once, for a machine that can
    /// read them.
    public func claimJobs(_ kind: JobKind, after: Int64, suspects: Bool, limit: Int, for claim: JobClaim) throws -> [JobRecord] {
        var cursor = after
        while true {
            let batch = try base.claimJobs(kind, after: cursor, suspects: suspects, limit: limit, for: claim)
            guard let last = batch.last?.id else { return [] }
            let reachable: [JobRecord] = try batch.compactMap { job in
                // A preview is made from a file: only where some photo holding that content is mounted (a job whose
                // photos are all gone is handed out, to be finished as having nothing left).
                if job.kind == .preview {
                    let holders = try base.photos(withContentHash: job.target)
                    return holders.isEmpty || holders.contains { mounts.local($0.path) != nil } ? job : nil
                }
                guard job.kind == .index else { return job }
                guard let path = mounts.local(job.target) else { return nil }
                var job = job
                job.target = path
                return job
            }
            let reachableIDs = Set(reachable.compactMap(\.id))
            try base.releaseJobs(batch.compactMap(\.id).filter { !reachableIDs.contains($0) }, owner: claim.owner)
            if !reachable.isEmpty { return reachable }
            cursor = last
        }
    }

    public func renewClaims(_ claim: JobClaim) throws { try base.renewClaims(claim) }
    public func releaseClaims(owner: String) throws { try base.releaseClaims(owner: owner) }
    public func releaseJobs(_ ids: [Int64], owner: String) throws { try base.releaseJobs(ids, owner: owner) }
    public func claimOwners() throws -> [String] { try base.claimOwners() }
    public func recordCrash(jobIDs: [Int64]) throws { try base.recordCrash(jobIDs: jobIDs) }
    public func pendingJobCount(_ kind: JobKind?) throws -> Int { try base.pendingJobCount(kind) }

    @discardableResult
    public func commit(_ finished: [FinishedJob], owner: String) throws -> CommitOutcome {
        try base.commit(finished.map { FinishedJob(job: inward($0.job), change: inward($0.change)) }, owner: owner)
    }
}

extension MountedCatalogue: ProblemLog {
    public func problems(at path: String) throws -> [ProblemRecord] {
        try base.problems(at: mounts.stored(path)).map(outward)
    }

    public func problems() throws -> [ProblemRecord] { try base.problems().map(outward) }

    public func recentProblems(limit: Int) throws -> [ProblemRecord] { try base.recentProblems(limit: limit).map(outward) }
}

extension MountedCatalogue: CatalogueFacts {
    public func setting(_ key: String) throws -> String? { try base.setting(key) }
    public func setSetting(_ key: String, _ value: String?) throws { try base.setSetting(key, value) }
    public func status() throws -> StoreStatus { try base.status() }
}

extension MountedCatalogue: SearchCatalogue {
    public func searchablePhotos() throws -> [(photo: PhotoRecord, description: DescriptionRecord?)] {
        try base.searchablePhotos().map { (outward($0.photo), $0.description) }
    }

    public func vectors() throws -> [VectorRecord] { try base.vectors() }
    /// The catalogue seen through these mounts is another catalogue to a saved search engine, whose paths
    /// were made under the roots it was saved with.
    public func changeMark() throws -> ChangeMark {
        var mark = try base.changeMark()
        if !mounts.isEmpty { mark.catalogue += " " + mounts.roots.map { $0.name + "=" + $0.root }.sorted().joined(separator: " ") }
        return mark
    }

    public func changes(after seq: Int64, limit: Int) throws -> (photoIDs: [Int64], through: Int64)? {
        try base.changes(after: seq, limit: limit)
    }

    public func searchablePhotos(ids: [Int64]) throws -> [SearchablePhoto] {
        try base.searchablePhotos(ids: ids).map { SearchablePhoto(photo: outward($0.photo), description: $0.description, vectors: $0.vectors) }
    }

    public func forgetChanges(through seq: Int64) throws { try base.forgetChanges(through: seq) }
}

extension MountedCatalogue: SessionStore {
    public func storeSession(key: String, value: [UInt8], expires: Double?, onlyIfNew: Bool, now: Double) throws -> Bool {
        try base.storeSession(key: key, value: value, expires: expires, onlyIfNew: onlyIfNew, now: now)
    }

    public func session(key: String, now: Double) throws -> (value: [UInt8], expires: Double?)? { try base.session(key: key, now: now) }
    public func removeSession(key: String) throws { try base.removeSession(key: key) }
}

extension MountedCatalogue: PeopleCatalogue {
    public func people(includingHidden: Bool) throws -> [PersonSummary] {
        try base.people(includingHidden: includingHidden).map { summary in
            var summary = summary
            summary.paths = summary.paths.map(mounts.shown)
            return summary
        }
    }

    public func person(id: Int64) throws -> PersonRecord? { try base.person(id: id) }
    public func faces(photoID: Int64) throws -> [FaceRecord] { try base.faces(photoID: photoID) }
    public func faces(personID: Int64) throws -> [FaceRecord] { try base.faces(personID: personID) }
    public func people(inPhotos ids: [Int64]) throws -> [Int64: [PersonRecord]] { try base.people(inPhotos: ids) }
    public func name(person id: Int64, _ name: String?) throws { try base.name(person: id, name) }
    public func merge(person source: Int64, into target: Int64) throws { try base.merge(person: source, into: target) }
    public func setHidden(person id: Int64, _ hidden: Bool) throws { try base.setHidden(person: id, hidden) }
    public func move(face: FaceKey, to person: Int64?) throws { try base.move(face: face, to: person) }
    public func facesToCluster(limit: Int) throws -> [FaceRecord] { try base.facesToCluster(limit: limit) }
    public func representativeFaces() throws -> [FaceRecord] { try base.representativeFaces() }
    public func looseFaces(minQuality: Double) throws -> [FaceRecord] { try base.looseFaces(minQuality: minQuality) }
    public func peopleMark() throws -> Int64 { try base.peopleMark() }
    public func apply(_ outcome: ClusteringOutcome, over mark: Int64) throws -> (formed: [Int64], mark: Int64, current: Bool) {
        try base.apply(outcome, over: mark)
    }
}

extension MountedCatalogue: ChangeSignal {
    /// The wrapped store's announcements where it makes them (PostgreSQL), else a plain wait.
    public func waitForChange(upTo seconds: Double) {
        if let signal = base as? ChangeSignal { signal.waitForChange(upTo: seconds) } else { Thread.sleep(forTimeInterval: seconds) }
    }
}
