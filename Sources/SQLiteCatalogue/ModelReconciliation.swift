import Catalogue
import Foundation
import GRDB

extension SQLiteStore {
    /// The setting holding the identities the descriptions were last reconciled with.
    static let describedWithKey = "describedWith"

    public func redescribe(unlessMadeBy identities: [String]) throws -> Int {
        let current = identities.sorted()
        let joined = current.joined(separator: "\n")
        guard try setting(Self.describedWithKey) != joined else { return 0 }
        return try pool.write { db in
            // Newest first: job ids follow this order, and jobs are claimed in id order.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.photoID, d.models FROM description d JOIN photo p ON p.id = d.photoID
                WHERE p.missing = 0 ORDER BY p.taken DESC, p.id DESC
                """)
            let queue = try db.makeStatement(sql: "INSERT OR IGNORE INTO job (kind, target) VALUES ('describe', ?)")
            var queued = 0
            while let row = try rows.next() {
                let models = (try? JSONDecoder().decode([String].self, from: Data((row["models"] as String).utf8))) ?? []
                // Only `name@hash` entries name weights; switches such as text reading do not count.
                guard models.filter({ $0.contains("@") }).sorted() != current else { continue }
                try queue.execute(arguments: [String(row["photoID"] as Int64)])
                queued += db.changesCount
            }
            try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [Self.describedWithKey, joined])
            return queued
        }
    }

    public func setting(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }

    public func setSetting(_ key: String, _ value: String?) throws {
        try pool.write { db in
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key])
            }
        }
    }
}
