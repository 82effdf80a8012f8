import Catalogue
import Foundation
import PostgresNIO

/// The change log search servers follow. Unlike SQLite's, its numbers may skip (a rolled-back transaction
/// spends one), so what was forgotten is kept as a setting instead of read from a gap.
extension PostgresStore {
    static let forgottenKey = "searchChangesForgottenThrough"

    public func searchablePhotos() throws -> [(photo: PhotoRecord, description: DescriptionRecord?)] {
        // One snapshot for both reads, so a description never refers to a photo the first read did not see.
        try guarding {
            try link.transaction { c in
                try link.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: c)
                var descriptions = [Int64: DescriptionRecord]()
                for description in try link.decoded("SELECT \(unescaped: DescriptionRecord.columns) FROM description", on: c,
                                                    DescriptionRecord.init) {
                    descriptions[description.photoID] = description
                }
                return try link.decoded("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE NOT missing ORDER BY id", on: c,
                                        PhotoRecord.init)
                    .map { photo in (photo, photo.id.flatMap { descriptions[$0] }) }
            }
        }
    }

    public func vectors() throws -> [VectorRecord] {
        try guarding { try link.with { try link.decoded("SELECT photoID, model, vector FROM vector", on: $0, VectorRecord.init) } }
    }

    public func changeMark() throws -> ChangeMark {
        try guarding {
            try link.with { c in
                ChangeMark(catalogue: try link.run("SELECT value FROM setting WHERE key = 'catalogue'", on: c).rows.first?
                               .decode(String.self) ?? "",
                           seq: try latestChange(c))
            }
        }
    }

    /// The newest change, or where the log was last forgotten through when it is empty.
    private func latestChange(_ c: PostgresConnection) throws -> Int64 {
        try link.run("""
            SELECT greatest(coalesce((SELECT max(seq) FROM searchChange), 0),
                            coalesce((SELECT value::bigint FROM setting WHERE key = \(Self.forgottenKey)), 0))
            """, on: c).rows.first?.decode(Int64.self) ?? 0
    }

    public func changes(after seq: Int64, limit: Int) throws -> (photoIDs: [Int64], through: Int64)? {
        try guarding {
            try link.with { c in
                let forgotten = try link.run("SELECT value::bigint FROM setting WHERE key = \(Self.forgottenKey)", on: c)
                    .rows.first?.decode(Int64.self) ?? 0
                guard seq >= forgotten else { return nil }
                let latest = try latestChange(c)
                guard latest > seq else { return latest == seq ? ([], seq) : nil }
                let rows = try link.run("SELECT seq, photoID FROM searchChange WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)", on: c).rows
                var seen = Set<Int64>(), ids = [Int64]()
                var through = seq
                for row in rows {
                    let (number, photoID) = try row.decode((Int64, Int64).self)
                    through = number
                    if seen.insert(photoID).inserted { ids.append(photoID) }
                }
                return (ids, through)
            }
        }
    }

    public func searchablePhotos(ids: [Int64]) throws -> [SearchablePhoto] {
        guard !ids.isEmpty else { return [] }
        return try guarding {
            try link.transaction { c in
                try link.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: c)
                var descriptions = [Int64: DescriptionRecord]()
                for row in try link.run("SELECT \(unescaped: DescriptionRecord.columns) FROM description WHERE photoID = ANY(\(ids))", on: c).rows {
                    let description = try DescriptionRecord(row)
                    descriptions[description.photoID] = description
                }
                let vectors = Dictionary(grouping: try link.run("SELECT photoID, model, vector FROM vector WHERE photoID = ANY(\(ids))", on: c)
                    .rows.map(VectorRecord.init), by: \.photoID)
                return try link.run("SELECT \(unescaped: PhotoRecord.columns) FROM photo WHERE NOT missing AND id = ANY(\(ids)) ORDER BY id", on: c)
                    .rows.map { row in
                        let photo = try PhotoRecord(row)
                        let id = photo.id ?? 0
                        return SearchablePhoto(photo: photo, description: descriptions[id], vectors: vectors[id] ?? [])
                    }
            }
        }
    }

    /// Several servers follow one log, and one saving its snapshot does not know where the others are: only
    /// changes older than `keptFor` go, so a server away for less than that catches up from the log.
    public func forgetChanges(through seq: Int64) throws {
        let cutoff = Date().timeIntervalSince1970 - Self.keptFor
        try write { c in
            guard let last = try link.run("""
                SELECT max(seq) FROM searchChange WHERE seq <= \(seq) AND madeAt < \(cutoff)
                """, on: c).rows.first?.decode(Int64?.self) else { return }
            try link.run("DELETE FROM searchChange WHERE seq <= \(last)", on: c)
            try link.run("""
                INSERT INTO setting (key, value) VALUES (\(Self.forgottenKey), \(String(last)))
                ON CONFLICT (key) DO UPDATE SET value = greatest(setting.value::bigint, EXCLUDED.value::bigint)::text
                """, on: c)
        }
    }

    /// How long the change log keeps a change: a week.
    static let keptFor: Double = 7 * 86_400
}
