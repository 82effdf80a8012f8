import Catalogue
import Foundation
import NIOCore
import PostgresNIO

extension FaceRecord {
    static let columns = "photoID, faceIndex, x, y, w, h, descriptor, quality, personID, movedByHand"

    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        self.init(key: FaceKey(photoID: try r.read(), index: try r.read()), x: try r.read(), y: try r.read(), w: try r.read(),
                  h: try r.read(), descriptor: FaceRecord.descriptor(from: try r.bytes()), quality: try r.read(),
                  personID: try r.read(), movedByHand: try r.read())
    }
}

extension PersonRecord {
    static let columns = "id, name, hidden, createdAt"

    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        self.init(id: try r.read(), name: try r.read(), hidden: try r.read(), createdAt: try r.read())
    }
}

extension PostgresStore {
    func faces(_ condition: PostgresQuery, on c: PostgresConnection) throws -> [FaceRecord] {
        var query = PostgresQuery(unsafeSQL: "SELECT \(FaceRecord.columns) FROM face ")
        query.sql += condition.sql
        query.binds = condition.binds
        return try link.run(query, on: c).rows.map(FaceRecord.init)
    }

    /// A described photo's faces replace the ones it had, keeping whose each still covered face was.
    func replaceFaces(of photoID: Int64, with faces: [FaceRecord], _ c: PostgresConnection) throws {
        let old = try self.faces("WHERE photoID = \(photoID) ORDER BY faceIndex", on: c)
        let representatives = Set(try link.run("SELECT faceIndex FROM face WHERE photoID = \(photoID) AND representative", on: c)
            .rows.map { try $0.decode(Int.self) })
        try link.run("DELETE FROM face WHERE photoID = \(photoID)", on: c)
        for (face, clustered, from) in FaceRecord.carrying(old, into: faces) {
            let representative = from.map { representatives.contains($0.index) } ?? false
            try link.run("""
                INSERT INTO face (\(unescaped: FaceRecord.columns), clustered, representative) VALUES (\(photoID), \(face.key.index),
                \(face.x), \(face.y), \(face.w), \(face.h), \(face.descriptorBytes.map { ByteBuffer($0) } as ByteBuffer?),
                \(face.quality), \(face.personID), \(face.movedByHand), \(clustered), \(representative))
                """, on: c)
        }
    }

    public func people(includingHidden: Bool) throws -> [PersonSummary] {
        try guarding {
            try link.transaction { c in
                try link.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", on: c)
                var faces = [Int64: Int](), photos = [Int64: [(Int64, String)]]()
                for row in try link.run("""
                    SELECT f.personID, p.id, p.path FROM face f JOIN photo p ON p.id = f.photoID
                    WHERE f.personID IS NOT NULL AND NOT p.missing ORDER BY f.personID, p.path
                    """, on: c).rows {
                    let (person, photo, path) = try row.decode((Int64, Int64, String).self)
                    faces[person, default: 0] += 1
                    if photos[person]?.last?.0 != photo { photos[person, default: []].append((photo, path)) }
                }
                let people = try link.run(PostgresQuery(unsafeSQL: """
                    SELECT \(PersonRecord.columns) FROM person \(includingHidden ? "" : "WHERE NOT hidden")
                    """), on: c).rows.map(PersonRecord.init).filter { faces[$0.id] != nil }
                return PeopleOrder.sorted(people.map { person in
                    PersonSummary(person: person, faces: faces[person.id] ?? 0, photoIDs: photos[person.id]?.map(\.0) ?? [],
                                  paths: photos[person.id]?.map(\.1) ?? [])
                })
            }
        }
    }

    public func person(id: Int64) throws -> PersonRecord? {
        try rows("SELECT \(unescaped: PersonRecord.columns) FROM person WHERE id = \(id)").first.map(PersonRecord.init)
    }

    public func faces(photoID: Int64) throws -> [FaceRecord] {
        try guarding { try link.with { try faces("WHERE photoID = \(photoID) ORDER BY faceIndex", on: $0) } }
    }

    public func faces(personID: Int64) throws -> [FaceRecord] {
        try guarding {
            try link.with { try faces("WHERE personID = \(personID) ORDER BY coalesce(quality, 0) DESC, photoID, faceIndex", on: $0) }
        }
    }

    public func people(inPhotos ids: [Int64]) throws -> [Int64: [PersonRecord]] {
        guard !ids.isEmpty else { return [:] }
        var found = [Int64: [PersonRecord]]()
        for row in try rows("""
            SELECT DISTINCT f.photoID, p.id, p.name, p.hidden, p.createdAt FROM face f JOIN person p ON p.id = f.personID
            WHERE f.photoID = ANY(\(ids)) ORDER BY f.photoID, p.id
            """) {
            var r = RowReader(row)
            found[try r.read(), default: []].append(PersonRecord(id: try r.read(), name: try r.read(), hidden: try r.read(),
                                                                 createdAt: try r.read()))
        }
        return found
    }

    /// Whether a person exists, inside a write.
    private func exists(person id: Int64, _ c: PostgresConnection) throws -> Bool {
        try !link.run("SELECT 1 FROM person WHERE id = \(id)", on: c).rows.isEmpty
    }

    public func name(person id: Int64, _ name: String?) throws {
        try writePhotos { c in
            guard try link.run("UPDATE person SET name = \(name) WHERE id = \(id)", on: c).changed == 1 else {
                throw PeopleError.unknownPerson(id)
            }
        }
    }

    public func setHidden(person id: Int64, _ hidden: Bool) throws {
        try writePhotos { c in
            guard try link.run("UPDATE person SET hidden = \(hidden) WHERE id = \(id)", on: c).changed == 1 else {
                throw PeopleError.unknownPerson(id)
            }
        }
    }

    public func merge(person source: Int64, into target: Int64) throws {
        guard source != target else { return }
        try writePhotos { c in
            for id in [source, target] where try !exists(person: id, c) { throw PeopleError.unknownPerson(id) }
            try link.run("""
                UPDATE person SET name = (SELECT name FROM person WHERE id = \(source)) WHERE id = \(target) AND name IS NULL
                """, on: c)
            try link.run("UPDATE face SET personID = \(target) WHERE personID = \(source)", on: c)
            try link.run("DELETE FROM person WHERE id = \(source)", on: c)
        }
    }

    public func move(face: FaceKey, to person: Int64?) throws {
        try writePhotos { c in
            if let person, try !exists(person: person, c) { throw PeopleError.unknownPerson(person) }
            guard try link.run("""
                UPDATE face SET personID = \(person), movedByHand = true, clustered = true, representative = false
                WHERE photoID = \(face.photoID) AND faceIndex = \(face.index)
                """, on: c).changed == 1 else { throw PeopleError.unknownFace(face) }
        }
    }

    public func facesToCluster(limit: Int) throws -> [FaceRecord] {
        try guarding { try link.with { try faces("WHERE NOT clustered ORDER BY photoID, faceIndex LIMIT \(limit)", on: $0) } }
    }

    public func representativeFaces() throws -> [FaceRecord] {
        try guarding {
            try link.with { try faces("WHERE representative AND personID IS NOT NULL ORDER BY personID, photoID, faceIndex", on: $0) }
        }
    }

    public func looseFaces(minQuality: Double) throws -> [FaceRecord] {
        try guarding {
            try link.with {
                try faces("""
                    WHERE personID IS NULL AND clustered AND NOT movedByHand AND descriptor IS NOT NULL AND quality >= \(minQuality)
                    ORDER BY photoID, faceIndex
                    """, on: $0)
            }
        }
    }

    public func peopleMark() throws -> Int64 {
        try guarding { try link.with { try link.run("SELECT mark FROM peopleMark", on: $0).rows[0].decode(Int64.self) } }
    }

    public func apply(_ outcome: ClusteringOutcome, over mark: Int64) throws -> (formed: [Int64], mark: Int64, current: Bool) {
        try writePhotos { c in
            // Locked until commit: no other change to people lands between this read and this pass's own changes.
            let before = try link.run("SELECT mark FROM peopleMark FOR UPDATE", on: c).rows[0].decode(Int64.self)
            let now = Date().timeIntervalSince1970
            // Only a face that is still nobody's, and was not placed by hand meanwhile, is given to someone.
            func give(_ key: FaceKey, to person: Int64) throws {
                try link.run("""
                    UPDATE face SET personID = \(person), clustered = true WHERE photoID = \(key.photoID) AND faceIndex = \(key.index)
                    AND personID IS NULL AND NOT movedByHand AND EXISTS (SELECT 1 FROM person WHERE id = \(person))
                    """, on: c)
            }
            for (key, person) in outcome.joins.sorted(by: { $0.key < $1.key }) { try give(key, to: person) }
            var formed = [Int64]()
            for group in outcome.newPeople {
                let person = try link.run("INSERT INTO person (createdAt) VALUES (\(now)) RETURNING id", on: c).rows[0].decode(Int64.self)
                for key in group { try give(key, to: person) }
                formed.append(person)
            }
            for key in outcome.representatives {
                try link.run("""
                    UPDATE face SET representative = true WHERE photoID = \(key.photoID) AND faceIndex = \(key.index)
                    AND personID IS NOT NULL
                    """, on: c)
            }
            if !outcome.seen.isEmpty {
                try link.run("""
                    UPDATE face SET clustered = true FROM unnest(\(outcome.seen.map(\.photoID))::bigint[], \(outcome.seen.map(\.index))::bigint[])
                    AS s(photoID, faceIndex) WHERE face.photoID = s.photoID AND face.faceIndex = s.faceIndex
                    """, on: c)
            }
            try link.run("""
                DELETE FROM person WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM face WHERE personID = person.id)
                """, on: c)
            return (formed, try link.run("SELECT mark FROM peopleMark", on: c).rows[0].decode(Int64.self), before == mark)
        }
    }
}
