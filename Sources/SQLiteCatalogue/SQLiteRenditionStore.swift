import Catalogue
import GRDB

/// Thumbnails and previews as blobs in their own SQLite file, keyed by content hash.
public final class SQLiteRenditionStore: RenditionStore {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        configuration.busyMode = .timeout(10)
        pool = try StoreFailure.guarding(path) {
            try MigrationLock.holding(beside: path) {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try ThumbnailMigrations.migrator.migrate(pool)
                return pool
            }
        }
    }

    /// A full disk here is the data folder's failure, not the photo's: it throws a `StoreFailure`.
    public func put(_ bytes: [UInt8], hash: String, kind: RenditionKind) throws {
        try StoreFailure.guarding(path) {
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO rendition (contentHash, kind, bytes) VALUES (?, ?, ?)",
                               arguments: [hash, kind.rawValue, Data(bytes)])
            }
        }
    }

    public func get(hash: String, kind: RenditionKind) throws -> [UInt8]? {
        try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT bytes FROM rendition WHERE contentHash = ? AND kind = ?",
                              arguments: [hash, kind.rawValue]).map { [UInt8]($0) }
        }
    }

    public func contains(hash: String, kind: RenditionKind) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM rendition WHERE contentHash = ? AND kind = ?",
                              arguments: [hash, kind.rawValue]) ?? false
        }
    }

    public func remove(hashes: [String]) throws {
        guard !hashes.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "DELETE FROM rendition WHERE contentHash = ?")
            for hash in hashes { try statement.execute(arguments: [hash]) }
        }
    }
}

import Foundation
