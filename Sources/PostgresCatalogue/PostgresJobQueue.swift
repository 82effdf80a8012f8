import Catalogue
import Foundation
import NIOCore
import PostgresNIO
import ViewfinderCore

/// The job queue shared by every indexer on every machine: claims skip rows another process is claiming
/// (`FOR UPDATE SKIP LOCKED`), and a lease that lapses returns a dead process's jobs to the queue.
extension PostgresStore {
    public func enqueue(_ jobs: [JobRecord]) throws {
        guard !jobs.isEmpty else { return }
        try write { c in
            try link.run("""
                INSERT INTO job (kind, target)
                SELECT k, t FROM unnest(\(jobs.map(\.kind.rawValue))::text[], \(jobs.map(\.target))::text[]) WITH ORDINALITY AS s(k, t, n)
                ORDER BY n ON CONFLICT DO NOTHING
                """, on: c)
        }
    }

    /// Leases are kept in the database server's time: machines whose clocks disagree still agree on when one lapses.
    private static let serverNow = "extract(epoch FROM clock_timestamp())::float8"

    /// The lease's length as this machine asked for it.
    private func lease(_ claim: JobClaim) -> Double { claim.until - Date().timeIntervalSince1970 }

    public func claimJobs(_ kind: JobKind, after: Int64, suspects: Bool, limit: Int, for claim: JobClaim) throws -> [JobRecord] {
        let crashes = suspects ? "crashes > 0" : "crashes = 0"
        return try write { c in
            try link.run("""
                UPDATE job SET claimedBy = \(claim.owner), leaseUntil = \(unescaped: Self.serverNow) + \(lease(claim)) WHERE id IN (
                    SELECT id FROM job WHERE kind = \(kind.rawValue) AND id > \(after) AND \(unescaped: crashes)
                    AND (leaseUntil IS NULL OR leaseUntil < \(unescaped: Self.serverNow)) ORDER BY id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, target, crashes
                """, on: c).rows.map(JobRecord.init).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        }
    }

    public func renewClaims(_ claim: JobClaim) throws {
        try write { c in
            try link.run("UPDATE job SET leaseUntil = \(unescaped: Self.serverNow) + \(lease(claim)) WHERE claimedBy = \(claim.owner)",
                         on: c)
        }
    }

    public func releaseClaims(owner: String) throws {
        try write { c in try link.run("UPDATE job SET claimedBy = NULL, leaseUntil = NULL WHERE claimedBy = \(owner)", on: c) }
    }

    public func releaseJobs(_ ids: [Int64], owner: String) throws {
        guard !ids.isEmpty else { return }
        try write { c in try link.run("UPDATE job SET claimedBy = NULL, leaseUntil = NULL WHERE id = ANY(\(ids)) AND claimedBy = \(owner)", on: c) }
    }

    public func claimOwners() throws -> [String] {
        try rows("SELECT DISTINCT claimedBy FROM job WHERE claimedBy IS NOT NULL").map { try $0.decode(String.self) }
    }

    public func recordCrash(jobIDs: [Int64]) throws {
        guard !jobIDs.isEmpty else { return }
        try write { c in try link.run("UPDATE job SET crashes = crashes + 1 WHERE id = ANY(\(jobIDs))", on: c) }
    }

    public func pendingJobCount(_ kind: JobKind?) throws -> Int {
        let query: PostgresQuery = kind.map { "SELECT count(*) FROM job WHERE kind = \($0.rawValue)" } ?? "SELECT count(*) FROM job"
        return try rows(query).first.map { try $0.decode(Int.self) } ?? 0
    }

    @discardableResult
    public func commit(_ finished: [FinishedJob], owner: String) throws -> CommitOutcome {
        guard !finished.isEmpty else { return CommitOutcome(applied: 0, orphans: []) }
        return try writePhotos { c in
            var applied = 0
            var replaced = Set<String>()
            for item in finished where !item.change.keepsJobQueued {
                let deleted = try link.run("DELETE FROM job WHERE id = \(item.job.id ?? -1) AND claimedBy = \(owner)", on: c)
                guard deleted.changed == 1 else { continue }  // its lease lapsed and another process has it
                try apply(item.change, c, replaced: &replaced)
                applied += 1
            }
            return CommitOutcome(applied: applied, orphans: try orphans(of: replaced, c))
        }
    }

    private func queue(_ kind: JobKind, _ target: String, _ c: PostgresConnection) throws {
        try link.run("INSERT INTO job (kind, target) VALUES (\(kind.rawValue), \(target)) ON CONFLICT DO NOTHING", on: c)
    }

    private func insert(_ problem: ProblemRecord, _ c: PostgresConnection) throws {
        try link.run("""
            INSERT INTO problem (path, fileSize, modifiedAt, stage, severity, reason, recordedAt) VALUES (\(problem.path),
            \(problem.fileSize), \(problem.modifiedAt), \(problem.stage.rawValue), \(problem.severity.rawValue),
            \(problem.reason), \(problem.recordedAt))
            """, on: c)
    }

    /// Inserts a photo (without an id) or rewrites the row with its id; returns the id.
    private func save(_ photo: PhotoRecord, _ c: PostgresConnection) throws -> Int64 {
        let names = PhotoRecord.columns.split(separator: ",").dropFirst().map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let bindings = photo.bindings
        let placeholders = (1...names.count).map { "$\($0)" }.joined(separator: ", ")
        if let id = photo.id {
            var withID = bindings
            withID.append(id)
            let sets = names.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
            try link.run(PostgresQuery(unsafeSQL: "UPDATE photo SET \(sets) WHERE id = $\(names.count + 1)", binds: withID), on: c)
            return id
        }
        let inserted = try link.run(PostgresQuery(
            unsafeSQL: "INSERT INTO photo (\(names.joined(separator: ", "))) VALUES (\(placeholders)) RETURNING id", binds: bindings), on: c)
        guard let id = try inserted.rows.first?.decode(Int64.self) else { throw CatalogueDecodingError(what: "photo id") }
        return id
    }

    /// - Parameter replaced: content hashes a photo held before this change gave it new content.
    private func apply(_ change: CatalogueChange, _ c: PostgresConnection, replaced: inout Set<String>) throws {
        let now = Date().timeIntervalSince1970
        switch change {
        case let .photo(record, warnings, needsPreview):
            var photo = record
            if let before = try link.run("SELECT id, contentHash FROM photo WHERE path = \(photo.path)", on: c).rows.first {
                let (id, old) = try before.decode((Int64, String).self)
                photo.id = id
                if old != photo.contentHash { replaced.insert(old) }
            } else {
                photo.id = nil
            }
            let id = try save(photo, c)
            try link.run("DELETE FROM offline WHERE photoID = \(id)", on: c)
            try link.run("DELETE FROM problem WHERE path = \(photo.path)", on: c)
            for warning in warnings {
                try insert(ProblemRecord(path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                                         problem: warning, recordedAt: now), c)
            }
            if needsPreview { try queue(.preview, photo.contentHash, c) }
            // Described again only when the pixels changed, not when a sidecar or the file's time did.
            let described = try link.run("SELECT 1 FROM description WHERE photoID = \(id) AND contentHash = \(photo.contentHash)",
                                         on: c).rows.isEmpty == false
            if !described { try queue(.describe, String(id), c) }
        case let .touched(path, fileSize, modifiedAt):
            try link.run("UPDATE photo SET fileSize = \(fileSize), modifiedAt = \(modifiedAt), missing = false WHERE path = \(path)", on: c)
            try link.run("DELETE FROM offline WHERE photoID = (SELECT id FROM photo WHERE path = \(path))", on: c)
        case let .moved(photoID, path, fileSize, modifiedAt):
            try link.run("DELETE FROM photo WHERE path = \(path) AND id != \(photoID)", on: c)
            try link.run("DELETE FROM problem WHERE path = \(path)", on: c)
            guard let row = try link.run("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE id = \(photoID)", on: c).rows.first
            else { break }
            var photo = try PhotoRecord(row)
            // Two new copies of one missing photo: the first adopts the row, the second becomes a duplicate;
            // the same move seen twice changes nothing.
            if !photo.missing, photo.path != path { photo.id = nil }
            if photo.id == photoID { try link.run("DELETE FROM offline WHERE photoID = \(photoID)", on: c) }
            photo.path = path
            photo.fileSize = fileSize
            photo.modifiedAt = modifiedAt
            photo.missing = false
            _ = try save(photo, c)
        case let .failed(problem):
            try link.run("DELETE FROM photo WHERE path = \(problem.path)", on: c)
            try link.run("DELETE FROM problem WHERE path = \(problem.path)", on: c)
            try insert(problem, c)
        case let .gone(path):
            try link.run("UPDATE photo SET missing = true WHERE path = \(path)", on: c)
        case .previewed, .postponed, .stopped, .nothingLeft:
            break
        case let .warning(problem):
            try insert(problem, c)
        case let .described(description, vectors, rewrite, problem, faces):
            let id = description.photoID
            guard let old = try link.run("SELECT contentHash FROM photo WHERE id = \(id)", on: c).rows.first
                .map({ try $0.decode(String.self) }) else { break }  // deleted meanwhile
            var description = description
            if let rewrite {
                if let new = rewrite.contentHash, new != old { replaced.insert(old) }
                try link.run("""
                    UPDATE photo SET fileSize = \(rewrite.fileSize), modifiedAt = \(rewrite.modifiedAt),
                    contentHash = coalesce(\(rewrite.contentHash), contentHash),
                    sidecarModifiedAt = coalesce(\(rewrite.sidecarModifiedAt), sidecarModifiedAt),
                    description = coalesce(\(rewrite.description), description) WHERE id = \(id)
                    """, on: c)
                description.contentHash = rewrite.contentHash ?? description.contentHash
            }
            let d = description
            try link.run("""
                INSERT INTO description (\(unescaped: DescriptionRecord.columns)) VALUES (\(d.photoID), \(d.contentHash),
                \(d.caption), \(d.labels), \(d.text), \(d.faces), \(d.faceCount), \(d.place), \(d.models), \(d.describedAt))
                ON CONFLICT (photoID) DO UPDATE SET contentHash = EXCLUDED.contentHash, caption = EXCLUDED.caption,
                labels = EXCLUDED.labels, text = EXCLUDED.text, faces = EXCLUDED.faces, faceCount = EXCLUDED.faceCount,
                place = EXCLUDED.place, models = EXCLUDED.models, describedAt = EXCLUDED.describedAt
                """, on: c)
            try link.run("DELETE FROM vector WHERE photoID = \(id)", on: c)
            for vector in vectors {
                try link.run("""
                    INSERT INTO vector (photoID, model, vector) VALUES (\(vector.photoID), \(vector.model), \(ByteBuffer(vector.vector)))
                    """, on: c)
            }
            try replaceFaces(of: id, with: faces, c)
            try link.run("""
                DELETE FROM problem WHERE path = (SELECT path FROM photo WHERE id = \(id)) AND stage IN ('vision', 'write-back')
                """, on: c)
            if let problem { try insert(problem, c) }
        }
    }
}
