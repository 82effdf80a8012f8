import Foundation
import Catalogue
import GRDB

extension SQLiteStore {
    public func changeMark() throws -> ChangeMark {
        try pool.read { db in
            ChangeMark(catalogue: try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'catalogue'") ?? "",
                       seq: try Self.latestChange(db))
        }
    }

    static func latestChange(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'searchChange'") ?? 0
    }

    public func changes(after seq: Int64, limit: Int) throws -> (photoIDs: [Int64], through: Int64)? {
        try pool.read { db in
            let latest = try Self.latestChange(db)
            guard latest > seq else { return latest == seq ? ([], seq) : nil }
            // Numbers are consecutive (AUTOINCREMENT, rolled-back ones are not kept): a hole means forgotten.
            let first = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM searchChange WHERE seq > ?", arguments: [seq])
            guard first == seq + 1 else { return nil }
            let rows = try Row.fetchAll(db, sql: "SELECT seq, photoID FROM searchChange WHERE seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [seq, limit])
            var seen = Set<Int64>(), ids = [Int64]()
            for row in rows where seen.insert(row[1]).inserted { ids.append(row[1]) }
            return (ids, rows.last?[0] ?? seq)
        }
    }

    public func searchablePhotos(ids: [Int64]) throws -> [SearchablePhoto] {
        try pool.read { db in
            var found = [SearchablePhoto]()
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let list = chunk.map(String.init).joined(separator: ",")
                let descriptions = Dictionary(try DescriptionRecord.fetchAll(db, sql: "SELECT * FROM description WHERE photoID IN (\(list))")
                    .map { ($0.photoID, $0) }) { first, _ in first }
                let vectors = Dictionary(grouping: try VectorRecord.fetchAll(db, sql: "SELECT * FROM vector WHERE photoID IN (\(list))"),
                                         by: \.photoID)
                for photo in try PhotoRecord.fetchAll(db, sql: "SELECT * FROM photo WHERE missing = 0 AND id IN (\(list)) ORDER BY id") {
                    guard let id = photo.id else { continue }
                    found.append(SearchablePhoto(photo: photo, description: descriptions[id], vectors: vectors[id] ?? []))
                }
            }
            return found
        }
    }

    public func forgetChanges(through seq: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM searchChange WHERE seq <= ?", arguments: [seq]) }
    }
}
