import Catalogue
import Foundation
import GRDB

extension SQLiteStore {
    public func storeSession(key: String, value: [UInt8], expires: Double?, onlyIfNew: Bool, now: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires < ?", arguments: [now])
            try db.execute(sql: "INSERT OR \(onlyIfNew ? "IGNORE" : "REPLACE") INTO session (key, value, expires) VALUES (?, ?, ?)",
                           arguments: [key, Data(value), expires])
            return db.changesCount == 1
        }
    }

    public func session(key: String, now: Double) throws -> (value: [UInt8], expires: Double?)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT value, expires FROM session WHERE key = ? AND (expires IS NULL OR expires >= ?)",
                             arguments: [key, now]).map { ([UInt8]($0[0] as Data), $0[1]) }
        }
    }

    public func removeSession(key: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE key = ?", arguments: [key]) }
    }
}
