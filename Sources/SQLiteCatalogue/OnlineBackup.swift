import Catalogue
import Foundation
import GRDB

/// Consistent copies of a live store through SQLite's online backup API: the copy is one moment of the
/// catalogue even while indexers and servers write to it, and a crash mid-copy leaves the previous copy.
enum OnlineBackup {
    /// Copies `pool` to `destination` by way of a temporary file renamed over it once whole and on disk.
    static func copy(_ pool: DatabasePool, to destination: String) throws {
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try StoreFailure.guarding(destination) {
            let copy = try DatabaseQueue(path: partial)
            try pool.backup(to: copy)
            // A restored copy is another catalogue: its change numbers go on from the copy's moment, so a search
            // snapshot saved from the original must not be taken for it.
            try copy.write { db in
                if try db.tableExists("setting") {
                    try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('catalogue', ?)", arguments: [UUID().uuidString])
                }
            }
            try copy.close()
        }
        guard rename(partial, destination) == 0 else {
            throw StoreFailure(kind: .unwritable, file: destination, detail: String(cString: strerror(errno)))
        }
        let folder = open((destination as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)  // the rename itself survives a power cut
            close(folder)
        }
    }

    /// SQLite's own structural check; nil when the file is sound.
    static func quickCheck(_ pool: DatabasePool, _ path: String) throws -> String? {
        let findings = try StoreFailure.guarding(path) { try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") } }
        return findings == ["ok"] ? nil : findings.prefix(5).joined(separator: "; ")
    }
}

extension SQLiteStore {
    public func backup(to destination: String) throws { try OnlineBackup.copy(pool, to: destination) }

    /// What `PRAGMA quick_check` found wrong, or nil.
    public func quickCheck() throws -> String? { try OnlineBackup.quickCheck(pool, path) }
}

extension SQLiteRenditionStore {
    public func backup(to destination: String) throws { try OnlineBackup.copy(pool, to: destination) }

    public func quickCheck() throws -> String? { try OnlineBackup.quickCheck(pool, path) }
}
