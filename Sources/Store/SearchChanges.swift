import Foundation
import GRDB

/// Where a catalogue's change log stands: which catalogue, and the number of its latest change.
public struct ChangeMark: Sendable, Equatable, Codable {
    public var catalogue: String
    public var seq: Int64

    public init(catalogue: String, seq: Int64) {
        self.catalogue = catalogue
        self.seq = seq
    }
}

/// A photo as search reads it: the record, its description and vectors.
public struct SearchablePhoto: Sendable {
    public var photo: PhotoRecord
    public var description: DescriptionRecord?
    public var vectors: [VectorRecord]
}

/// What search reads from the catalogue: all of it once, then only what changed after the last change it applied.
public protocol SearchCatalogue {
    /// Every photo present, with its description when it has one: what search indexes.
    func searchablePhotos() throws -> [(photo: PhotoRecord, description: DescriptionRecord?)]
    /// Every photo vector, for semantic search.
    func vectors() throws -> [VectorRecord]
    func changeMark() throws -> ChangeMark
    /// The photos changed after change `seq`, each once, from at most `limit` changes, and the last change read;
    /// nil when changes after `seq` were forgotten (the reader must read everything again).
    func changes(after seq: Int64, limit: Int) throws -> (photoIDs: [Int64], through: Int64)?
    /// Those of the photos that are present, as search reads them; an id left out is gone from search.
    func searchablePhotos(ids: [Int64]) throws -> [SearchablePhoto]
    /// Drops the log up to and including `seq`: a saved engine reflects them.
    func forgetChanges(through seq: Int64) throws
}

extension SQLiteStore: SearchCatalogue {
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
