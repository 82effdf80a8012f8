import Catalogue
import Foundation
import GRDB
import ViewfinderCore

/// The embedded catalogue: one SQLite file in WAL mode, so searches read while the indexer writes.
public final class SQLiteStore: PhotoStore {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // WAL makes NORMAL durable across process kills; only power loss can drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(10)
        // Opening switches a new file to WAL, which fails at once (no busy wait) when another process is doing
        // the same: opening and migrating both happen under the lock.
        pool = try StoreFailure.guarding(path) {
            try MigrationLock.holding(beside: path) {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try CatalogueMigrations.migrator.migrate(pool)
                return pool
            }
        }
    }

    /// Paths below a folder as a range of the path index: text compares byte by byte, and every path below
    /// `root/` sorts between `root/` and `root0` ('0' follows '/'), whatever letters the folder's name holds.
    static func below(_ root: String) -> (from: String, to: String) {
        let folder = root.hasSuffix("/") ? String(root.dropLast()) : root
        return (folder + "/", folder + "0")
    }

    public func knownFiles(under root: String) throws -> [String: KnownFile] {
        let (from, to) = Self.below(root)
        return try pool.read { db in
            var known = [String: KnownFile]()
            let photos = try Row.fetchCursor(db, sql: """
                SELECT path, fileSize, modifiedAt, sidecarModifiedAt, missing FROM photo WHERE path >= ? AND path < ?
                """, arguments: [from, to])
            while let row = try photos.next() {
                known[row[0]] = KnownFile(fileSize: row[1], modifiedAt: row[2], sidecarModifiedAt: row[3],
                                          failed: false, missing: row[4])
            }
            let failures = try Row.fetchCursor(db, sql: """
                SELECT path, fileSize, modifiedAt FROM problem
                WHERE severity = 'error' AND stage NOT IN ('vision', 'write-back') AND path >= ? AND path < ?
                """, arguments: [from, to])
            while let row = try failures.next() {
                known[row[0]] = KnownFile(fileSize: row[1], modifiedAt: row[2], sidecarModifiedAt: nil,
                                          failed: true, missing: false)
            }
            return known
        }
    }

    public func setMissing(_ paths: [String], _ missing: Bool) throws {
        guard !paths.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "UPDATE photo SET missing = ? WHERE path = ?")
            for path in paths { try statement.execute(arguments: [missing, path]) }
            if !missing {
                let back = try db.makeStatement(sql: "DELETE FROM offline WHERE photoID = (SELECT id FROM photo WHERE path = ?)")
                for path in paths { try back.execute(arguments: [path]) }
            } else {
                // A failed file that disappeared needs no record any more.
                let forget = try db.makeStatement(sql: "DELETE FROM problem WHERE path = ?")
                for path in paths { try forget.execute(arguments: [path]) }
            }
        }
    }

    public func setOffline(_ paths: [String], reason: String, since: Double) throws {
        guard !paths.isEmpty else { return }
        try pool.write { db in
            let hide = try db.makeStatement(sql: "UPDATE photo SET missing = 1 WHERE path = ?")
            let record = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO offline (photoID, since, reason) SELECT id, ?, ? FROM photo WHERE path = ?
                """)
            for path in paths {
                try hide.execute(arguments: [path])
                try record.execute(arguments: [since, reason, path])
            }
        }
    }

    public func enqueue(_ jobs: [JobRecord]) throws {
        guard !jobs.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO job (kind, target) VALUES (?, ?)")
            for job in jobs { try statement.execute(arguments: [job.kind, job.target]) }
        }
    }

    public func claimJobs(_ kind: JobKind, after: Int64, suspects: Bool, limit: Int, for claim: JobClaim) throws -> [JobRecord] {
        try pool.write { db in
            let now = Date().timeIntervalSince1970
            let jobs = try JobRecord.fetchAll(db, sql: """
                SELECT * FROM job WHERE kind = ? AND id > ? AND \(suspects ? "crashes > 0" : "crashes = 0")
                AND (leaseUntil IS NULL OR leaseUntil < ?) ORDER BY id LIMIT ?
                """, arguments: [kind, after, now, limit])
            let take = try db.makeStatement(sql: "UPDATE job SET claimedBy = ?, leaseUntil = ? WHERE id = ?")
            for job in jobs { try take.execute(arguments: [claim.owner, claim.until, job.id]) }
            return jobs
        }
    }

    public func renewClaims(_ claim: JobClaim) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE job SET leaseUntil = ? WHERE claimedBy = ?", arguments: [claim.until, claim.owner])
        }
    }

    public func releaseClaims(owner: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE job SET claimedBy = NULL, leaseUntil = NULL WHERE claimedBy = ?", arguments: [owner])
        }
    }

    public func releaseJobs(_ ids: [Int64], owner: String) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "UPDATE job SET claimedBy = NULL, leaseUntil = NULL WHERE id = ? AND claimedBy = ?")
            for id in ids { try statement.execute(arguments: [id, owner]) }
        }
    }

    public func claimOwners() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT claimedBy FROM job WHERE claimedBy IS NOT NULL") }
    }

    public func recordCrash(jobIDs: [Int64]) throws {
        guard !jobIDs.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "UPDATE job SET crashes = crashes + 1 WHERE id = ?")
            for id in jobIDs { try statement.execute(arguments: [id]) }
        }
    }

    public func pendingJobCount(_ kind: JobKind?) throws -> Int {
        try pool.read { db in
            guard let kind else { return try JobRecord.fetchCount(db) }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM job WHERE kind = ?", arguments: [kind]) ?? 0
        }
    }

    @discardableResult
    public func commit(_ finished: [FinishedJob], owner: String) throws -> CommitOutcome {
        guard !finished.isEmpty else { return CommitOutcome(applied: 0, orphans: []) }
        return try pool.write { db in
            var applied = 0
            var replaced = Set<String>()
            for item in finished where !item.change.keepsJobQueued {
                try db.execute(sql: "DELETE FROM job WHERE id = ? AND claimedBy = ?", arguments: [item.job.id, owner])
                guard db.changesCount == 1 else { continue }  // its lease lapsed and another process has it
                try apply(item.change, db, replaced: &replaced)
                applied += 1
            }
            return CommitOutcome(applied: applied, orphans: try Self.orphans(of: replaced, db))
        }
    }

    /// - Parameter replaced: content hashes a photo held before this change gave it new content.
    private func apply(_ change: CatalogueChange, _ db: Database, replaced: inout Set<String>) throws {
        let now = Date().timeIntervalSince1970
        switch change {
        case let .photo(record, warnings, needsPreview):
            var photo = record
            let before = try Row.fetchOne(db, sql: "SELECT id, contentHash FROM photo WHERE path = ?", arguments: [photo.path])
            photo.id = before.map { $0["id"] as Int64 }
            if let old = before.map({ $0["contentHash"] as String }), old != photo.contentHash { replaced.insert(old) }
            try photo.save(db)
            try db.execute(sql: "DELETE FROM offline WHERE photoID = ?", arguments: [photo.id])
            try db.execute(sql: "DELETE FROM problem WHERE path = ?", arguments: [photo.path])
            for warning in warnings {
                var problem = ProblemRecord(path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                                            problem: warning, recordedAt: now)
                try problem.insert(db)
            }
            if needsPreview {
                try db.execute(sql: "INSERT OR IGNORE INTO job (kind, target) VALUES (?, ?)",
                               arguments: [JobKind.preview, photo.contentHash])
            }
            // Described again only when the pixels changed, not when a sidecar or the file's time did.
            let described = try Bool.fetchOne(db, sql: "SELECT 1 FROM description WHERE photoID = ? AND contentHash = ?",
                                              arguments: [photo.id, photo.contentHash]) ?? false
            if !described, let id = photo.id {
                try db.execute(sql: "INSERT OR IGNORE INTO job (kind, target) VALUES (?, ?)",
                               arguments: [JobKind.describe, String(id)])
            }
        case let .touched(path, fileSize, modifiedAt):
            try db.execute(sql: "UPDATE photo SET fileSize = ?, modifiedAt = ?, missing = 0 WHERE path = ?",
                           arguments: [fileSize, modifiedAt, path])
            try db.execute(sql: "DELETE FROM offline WHERE photoID = (SELECT id FROM photo WHERE path = ?)", arguments: [path])
        case let .moved(photoID, path, fileSize, modifiedAt):
            try db.execute(sql: "DELETE FROM photo WHERE path = ? AND id != ?", arguments: [path, photoID])
            try db.execute(sql: "DELETE FROM problem WHERE path = ?", arguments: [path])
            guard var photo = try PhotoRecord.fetchOne(db, key: photoID) else { break }
            // Two new copies of one missing photo: the first adopts the row, the second becomes a duplicate;
            // the same move seen twice changes nothing.
            if !photo.missing, photo.path != path { photo.id = nil }
            if photo.id == photoID { try db.execute(sql: "DELETE FROM offline WHERE photoID = ?", arguments: [photoID]) }
            photo.path = path
            photo.fileSize = fileSize
            photo.modifiedAt = modifiedAt
            photo.missing = false
            try photo.save(db)
        case let .failed(problem):
            var record = problem
            try db.execute(sql: "DELETE FROM photo WHERE path = ?", arguments: [record.path])
            try db.execute(sql: "DELETE FROM problem WHERE path = ?", arguments: [record.path])
            try record.insert(db)
        case let .gone(path):
            try db.execute(sql: "UPDATE photo SET missing = 1 WHERE path = ?", arguments: [path])
        case .previewed, .postponed, .stopped, .nothingLeft:
            break
        case let .warning(problem):
            var record = problem
            try record.insert(db)
        case let .described(description, vectors, rewrite, problem, faces):
            guard try PhotoRecord.exists(db, key: description.photoID) else { break }  // deleted meanwhile
            var description = description
            if let rewrite {
                if let old = try String.fetchOne(db, sql: "SELECT contentHash FROM photo WHERE id = ?", arguments: [description.photoID]),
                   let new = rewrite.contentHash, new != old {
                    replaced.insert(old)
                }
                try db.execute(sql: """
                    UPDATE photo SET fileSize = ?, modifiedAt = ?, contentHash = coalesce(?, contentHash),
                    sidecarModifiedAt = coalesce(?, sidecarModifiedAt), description = coalesce(?, description) WHERE id = ?
                    """, arguments: [rewrite.fileSize, rewrite.modifiedAt, rewrite.contentHash, rewrite.sidecarModifiedAt,
                                     rewrite.description, description.photoID])
                description.contentHash = rewrite.contentHash ?? description.contentHash
            }
            try description.save(db)
            try db.execute(sql: "DELETE FROM vector WHERE photoID = ?", arguments: [description.photoID])
            for vector in vectors { try vector.insert(db) }
            try Self.replaceFaces(of: description.photoID, with: faces, db)
            try db.execute(sql: """
                DELETE FROM problem WHERE path = (SELECT path FROM photo WHERE id = ?) AND stage IN ('vision', 'write-back')
                """, arguments: [description.photoID])
            if var problem { try problem.insert(db) }
        }
    }

    public func removeMissing(under roots: [String], offlineBefore: Double) throws -> (removed: Int, orphans: [String]) {
        try pool.write { db in
            var hashes = Set<String>()
            var removed = 0
            for root in roots {
                let (from, to) = Self.below(root)
                let condition = """
                    missing = 1 AND path >= ? AND path < ?
                    AND id NOT IN (SELECT photoID FROM offline WHERE since >= ?)
                    """
                let arguments: StatementArguments = [from, to, offlineBefore]
                hashes.formUnion(try String.fetchAll(db, sql: "SELECT contentHash FROM photo WHERE \(condition)", arguments: arguments))
                try db.execute(sql: "DELETE FROM photo WHERE \(condition)", arguments: arguments)
                removed += db.changesCount
            }
            return (removed, try Self.orphans(of: hashes, db))
        }
    }

    public func removeOffline() throws -> (removed: Int, orphans: [String]) {
        try pool.write { db in
            let condition = "missing = 1 AND id IN (SELECT photoID FROM offline)"
            let hashes = Set(try String.fetchAll(db, sql: "SELECT contentHash FROM photo WHERE \(condition)"))
            try db.execute(sql: "DELETE FROM photo WHERE \(condition)")
            return (db.changesCount, try Self.orphans(of: hashes, db))
        }
    }

    /// The content hashes no photo holds any more: their thumbnails can go.
    private static func orphans(of hashes: Set<String>, _ db: Database) throws -> [String] {
        try hashes.filter { hash in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM photo WHERE contentHash = ?", arguments: [hash]) == 0
        }.sorted()
    }

    public func photos(withContentHash hash: String) throws -> [PhotoRecord] {
        try pool.read { db in try PhotoRecord.filter(Column("contentHash") == hash).order(Column("id")).fetchAll(db) }
    }

    public func presentPhotos() throws -> [PhotoRecord] {
        try pool.read { db in try PhotoRecord.fetchAll(db, sql: "SELECT * FROM photo WHERE missing = 0 ORDER BY id") }
    }

    public func contentsWithoutPerceptualHash(after: String, limit: Int) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT contentHash FROM photo WHERE perceptualHash IS NULL AND contentHash > ? ORDER BY contentHash LIMIT ?
                """, arguments: [after, limit])
        }
    }

    public func setPerceptualHashes(_ hashes: [String: PerceptualHash]) throws {
        guard !hashes.isEmpty else { return }
        try pool.write { db in
            let update = try db.makeStatement(sql: "UPDATE photo SET perceptualHash = ? WHERE contentHash = ?")
            for (content, hash) in hashes { try update.execute(arguments: [hash.stored, content]) }
        }
    }

    public func photo(atPath path: String) throws -> PhotoRecord? {
        try pool.read { db in try PhotoRecord.filter(Column("path") == path).fetchOne(db) }
    }

    public func problems(at path: String) throws -> [ProblemRecord] {
        try pool.read { db in try ProblemRecord.filter(Column("path") == path).order(Column("id")).fetchAll(db) }
    }

    public func problems() throws -> [ProblemRecord] {
        try pool.read { db in try ProblemRecord.order(Column("severity"), Column("path"), Column("id")).fetchAll(db) }
    }

    public func recentProblems(limit: Int) throws -> [ProblemRecord] {
        try pool.read { db in try ProblemRecord.order(Column("recordedAt").desc, Column("id").desc).limit(limit).fetchAll(db) }
    }

    public func photo(id: Int64) throws -> PhotoRecord? {
        try pool.read { db in try PhotoRecord.fetchOne(db, key: id) }
    }

    public func description(photoID: Int64) throws -> DescriptionRecord? {
        try pool.read { db in try DescriptionRecord.fetchOne(db, key: photoID) }
    }

    public func searchablePhotos() throws -> [(photo: PhotoRecord, description: DescriptionRecord?)] {
        try pool.read { db in
            let descriptions = Dictionary(try DescriptionRecord.fetchAll(db).map { ($0.photoID, $0) }) { first, _ in first }
            return try PhotoRecord.fetchAll(db, sql: "SELECT * FROM photo WHERE missing = 0 ORDER BY id").map { photo in
                (photo, photo.id.flatMap { descriptions[$0] })
            }
        }
    }

    public func vectors() throws -> [VectorRecord] {
        try pool.read { db in try VectorRecord.fetchAll(db) }
    }

    public func status() throws -> StoreStatus {
        try pool.read { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var counts = [String: Int]()
                for row in try Row.fetchAll(db, sql: sql) { counts[row[0]] = row[1] }
                return counts
            }
            return StoreStatus(
                photos: try Int.fetchOne(db, sql: "SELECT count(*) FROM photo WHERE missing = 0") ?? 0,
                duplicates: try Int.fetchOne(db, sql: """
                    SELECT count(*) - count(DISTINCT contentHash) FROM photo WHERE missing = 0
                    """) ?? 0,
                missing: try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM photo WHERE missing = 1 AND id NOT IN (SELECT photoID FROM offline)
                    """) ?? 0,
                offline: try Int.fetchOne(db, sql: "SELECT count(*) FROM offline") ?? 0,
                offlineReasons: try grouped("SELECT reason, count(*) FROM offline GROUP BY reason"),
                described: try Int.fetchOne(db, sql: "SELECT count(*) FROM description") ?? 0,
                pendingJobs: try grouped("SELECT kind, count(*) FROM job GROUP BY kind"),
                errors: try grouped("SELECT stage, count(*) FROM problem WHERE severity = 'error' GROUP BY stage"),
                warnings: try grouped("SELECT stage, count(DISTINCT path) FROM problem WHERE severity = 'warning' GROUP BY stage"))
        }
    }
}
