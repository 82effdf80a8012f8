import Catalogue
import Foundation
import NIOCore
import PostgresNIO
import ViewfinderCore

/// The shared catalogue: PostgreSQL, for libraries that several indexers and search servers on several
/// machines work on at once. Same behaviour as `SQLiteStore`, one transaction per commit.
public final class PostgresStore: PhotoStore, @unchecked Sendable {
    let link: PostgresLink
    let listener: ChangeListener
    /// The URL without its password, for messages.
    public var display: String { link.address.display }

    /// How long the change log keeps a change (see `forgetChanges`).
    let changesKeptFor: Double

    /// - Parameter changesKeptFor: seconds; a week by default, so a server away for less catches up from the log.
    public init(url: String, connections: Int = 4, changesKeptFor: Double = 7 * 86_400) throws {
        self.changesKeptFor = changesKeptFor
        let address = try PostgresAddress(url)
        link = PostgresLink(address, connections: connections)
        listener = ChangeListener(address)
        try guarding { try PostgresMigrations.migrate(link) }
    }

    /// Runs a store operation, turning PostgreSQL's storage failures into a `StoreFailure`.
    func guarding<T>(_ operation: () throws -> T) throws -> T {
        try StoreFailure.guarding(display, operation)
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try guarding { try link.rows(query) }
    }

    @discardableResult
    func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try guarding { try link.transaction(body) }
    }

    /// A write that changes photos, descriptions or vectors: it queues on the change log's lock before taking
    /// any row lock, as the log's trigger would only after its first statement (which could deadlock).
    @discardableResult
    func writePhotos<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try write { c in
            try link.run("SELECT pg_advisory_xact_lock(\(PostgresMigrations.changeLogLock))", on: c)
            return try body(c)
        }
    }

    /// Paths below a folder as a range of the path index (byte order): see `SQLiteStore.below`.
    static func below(_ root: String) -> (from: String, to: String) {
        let folder = root.hasSuffix("/") ? String(root.dropLast()) : root
        return (folder + "/", folder + "0")
    }

    // MARK: Photos

    public func knownFiles(under root: String) throws -> [String: KnownFile] {
        let (from, to) = Self.below(root)
        // One snapshot for both reads: a file that turns from failed to indexed meanwhile is not lost between them.
        return try guarding {
            try link.transaction { c in
                try link.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: c)
                var known = [String: KnownFile]()
                for row in try link.run("""
                    SELECT path, fileSize, modifiedAt, sidecarModifiedAt, missing FROM photo WHERE path >= \(from) AND path < \(to)
                    """, on: c).rows {
                    var r = RowReader(row)
                    known[try r.read()] = KnownFile(fileSize: try r.read(), modifiedAt: try r.read(),
                                                    sidecarModifiedAt: try r.read(), failed: false, missing: try r.read())
                }
                for row in try link.run("""
                    SELECT path, fileSize, modifiedAt FROM problem
                    WHERE severity = 'error' AND stage NOT IN ('vision', 'write-back') AND path >= \(from) AND path < \(to)
                    """, on: c).rows {
                    var r = RowReader(row)
                    known[try r.read()] = KnownFile(fileSize: try r.read(), modifiedAt: try r.read(), sidecarModifiedAt: nil,
                                                    failed: true, missing: false)
                }
                return known
            }
        }
    }

    public func setMissing(_ paths: [String], _ missing: Bool) throws {
        guard !paths.isEmpty else { return }
        try writePhotos { c in
            try link.run("UPDATE photo SET missing = \(missing) WHERE path = ANY(\(paths))", on: c)
            if !missing {
                try link.run("DELETE FROM offline WHERE photoID IN (SELECT id FROM photo WHERE path = ANY(\(paths)))", on: c)
            } else {
                // A failed file that disappeared needs no record any more.
                try link.run("DELETE FROM problem WHERE path = ANY(\(paths))", on: c)
            }
        }
    }

    public func setOffline(_ paths: [String], reason: String, since: Double) throws {
        guard !paths.isEmpty else { return }
        try writePhotos { c in
            try link.run("UPDATE photo SET missing = true WHERE path = ANY(\(paths))", on: c)
            try link.run("""
                INSERT INTO offline (photoID, since, reason) SELECT id, \(since), \(reason) FROM photo WHERE path = ANY(\(paths))
                ON CONFLICT (photoID) DO NOTHING
                """, on: c)
        }
    }

    public func removeMissing(under roots: [String], offlineBefore: Double) throws -> (removed: Int, orphans: [String]) {
        try writePhotos { c in
            var hashes = Set<String>()
            var removed = 0
            for root in roots {
                let (from, to) = Self.below(root)
                let gone = try link.run("""
                    DELETE FROM photo WHERE missing AND path >= \(from) AND path < \(to)
                    AND id NOT IN (SELECT photoID FROM offline WHERE since >= \(offlineBefore)) RETURNING contentHash
                    """, on: c)
                hashes.formUnion(try gone.rows.map { try $0.decode(String.self) })
                removed += gone.rows.count
            }
            return (removed, try orphans(of: hashes, c))
        }
    }

    public func removeOffline() throws -> (removed: Int, orphans: [String]) {
        try writePhotos { c in
            let gone = try link.run("""
                DELETE FROM photo WHERE missing AND id IN (SELECT photoID FROM offline) RETURNING contentHash
                """, on: c)
            return (gone.rows.count, try orphans(of: Set(try gone.rows.map { try $0.decode(String.self) }), c))
        }
    }

    /// The content hashes no photo holds any more: their thumbnails can go.
    func orphans(of hashes: Set<String>, _ c: PostgresConnection) throws -> [String] {
        guard !hashes.isEmpty else { return [] }
        let held = Set(try link.run("SELECT DISTINCT contentHash FROM photo WHERE contentHash = ANY(\(Array(hashes)))", on: c)
            .rows.map { try $0.decode(String.self) })
        return hashes.subtracting(held).sorted()
    }

    public func photos(withContentHash hash: String) throws -> [PhotoRecord] {
        try rows("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE contentHash = \(hash) ORDER BY id").map(PhotoRecord.init)
    }

    public func presentPhotos() throws -> [PhotoRecord] {
        try rows("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE NOT missing ORDER BY id").map(PhotoRecord.init)
    }

    public func contentsWithoutPerceptualHash(after: String, limit: Int) throws -> [String] {
        try rows("""
            SELECT DISTINCT contentHash FROM photo WHERE perceptualHash IS NULL AND contentHash > \(after)
            ORDER BY contentHash LIMIT \(limit)
            """).map { try $0.decode(String.self) }
    }

    /// A photo row changes, so search hears of it: the change log's lock first, as every such write takes it.
    public func setPerceptualHashes(_ hashes: [String: PerceptualHash]) throws {
        guard !hashes.isEmpty else { return }
        try writePhotos { c in
            for (content, hash) in hashes {
                try link.run("UPDATE photo SET perceptualHash = \(hash.stored) WHERE contentHash = \(content)", on: c)
            }
        }
    }

    public func photo(atPath path: String) throws -> PhotoRecord? {
        try rows("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE path = \(path)").first.map(PhotoRecord.init)
    }

    public func photo(id: Int64) throws -> PhotoRecord? {
        try rows("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE id = \(id)").first.map(PhotoRecord.init)
    }

    public func description(photoID: Int64) throws -> DescriptionRecord? {
        try rows("SELECT \(unescaped: DescriptionRecord.columns) FROM description WHERE photoID = \(photoID)")
            .first.map(DescriptionRecord.init)
    }

    public func redescribe(unlessMadeBy identities: [String]) throws -> Int {
        let current = identities.sorted()
        let joined = current.joined(separator: "\n")
        guard try setting(Self.describedWithKey) != joined else { return 0 }
        return try write { c in
            // Newest first: job ids follow this order, and jobs are claimed in id order.
            let described = try link.run("""
                SELECT d.photoID, d.models FROM description d JOIN photo p ON p.id = d.photoID
                WHERE NOT p.missing ORDER BY p.taken DESC NULLS LAST, p.id DESC
                """, on: c).rows
            var stale = [String]()
            for row in described {
                var r = RowReader(row)
                let id: Int64 = try r.read(), models: String = try r.read()
                let names = (try? JSONDecoder().decode([String].self, from: Data(models.utf8))) ?? []
                // Only `name@hash` entries name weights; switches such as text reading do not count.
                if names.filter({ $0.contains("@") }).sorted() != current { stale.append(String(id)) }
            }
            let queued = try link.run("""
                INSERT INTO job (kind, target) SELECT 'describe', t FROM unnest(\(stale)::text[]) WITH ORDINALITY AS s(t, n)
                ORDER BY n ON CONFLICT DO NOTHING
                """, on: c).changed
            try link.run("""
                INSERT INTO setting (key, value) VALUES (\(Self.describedWithKey), \(joined))
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """, on: c)
            return queued
        }
    }

    static let describedWithKey = "describedWith"

    // MARK: Problems and facts

    public func problems(at path: String) throws -> [ProblemRecord] {
        try rows("SELECT \(unescaped: ProblemRecord.columns) FROM problem WHERE path = \(path) ORDER BY id").map(ProblemRecord.init)
    }

    public func problems() throws -> [ProblemRecord] {
        try rows("SELECT \(unescaped: ProblemRecord.columns) FROM problem ORDER BY severity, path, id").map(ProblemRecord.init)
    }

    public func recentProblems(limit: Int) throws -> [ProblemRecord] {
        try rows("SELECT \(unescaped: ProblemRecord.columns) FROM problem ORDER BY recordedAt DESC, id DESC LIMIT \(limit)")
            .map(ProblemRecord.init)
    }

    public func setting(_ key: String) throws -> String? {
        try rows("SELECT value FROM setting WHERE key = \(key)").first.map { try $0.decode(String.self) }
    }

    public func setSetting(_ key: String, _ value: String?) throws {
        try write { c in
            if let value {
                try link.run("""
                    INSERT INTO setting (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                    """, on: c)
            } else {
                try link.run("DELETE FROM setting WHERE key = \(key)", on: c)
            }
        }
    }

    public func status() throws -> StoreStatus {
        func count(_ query: PostgresQuery) throws -> Int { try rows(query).first.map { try $0.decode(Int.self) } ?? 0 }
        func grouped(_ query: PostgresQuery) throws -> [String: Int] {
            var counts = [String: Int]()
            for row in try rows(query) {
                let (key, value) = try row.decode((String, Int).self)
                counts[key] = value
            }
            return counts
        }
        return StoreStatus(
            photos: try count("SELECT count(*) FROM photo WHERE NOT missing"),
            duplicates: try count("SELECT count(*) - count(DISTINCT contentHash) FROM photo WHERE NOT missing"),
            missing: try count("SELECT count(*) FROM photo WHERE missing AND id NOT IN (SELECT photoID FROM offline)"),
            offline: try count("SELECT count(*) FROM offline"),
            offlineReasons: try grouped("SELECT reason, count(*) FROM offline GROUP BY reason"),
            described: try count("SELECT count(*) FROM description"),
            pendingJobs: try grouped("SELECT kind, count(*) FROM job GROUP BY kind"),
            errors: try grouped("SELECT stage, count(*) FROM problem WHERE severity = 'error' GROUP BY stage"),
            warnings: try grouped("SELECT stage, count(DISTINCT path) FROM problem WHERE severity = 'warning' GROUP BY stage"))
    }
}
