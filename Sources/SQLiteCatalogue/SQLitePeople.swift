import Catalogue
import Foundation
import GRDB

extension SQLiteStore {
    static let faceColumns = "photoID, faceIndex, x, y, w, h, descriptor, quality, personID, movedByHand"
    static let personColumns = "id, name, hidden, createdAt"

    static func face(_ row: Row) -> FaceRecord {
        FaceRecord(key: FaceKey(photoID: row[0], index: row[1]), x: row[2], y: row[3], w: row[4], h: row[5],
                   descriptor: FaceRecord.descriptor(from: row[6]), quality: row[7], personID: row[8], movedByHand: row[9])
    }

    static func person(_ row: Row) -> PersonRecord {
        PersonRecord(id: row[0], name: row[1], hidden: row[2], createdAt: row[3])
    }

    static func faces(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [FaceRecord] {
        try Row.fetchAll(db, sql: "SELECT \(faceColumns) FROM face \(sql)", arguments: arguments).map(face)
    }

    /// A described photo's faces replace the ones it had, keeping whose each still covered face was.
    static func replaceFaces(of photoID: Int64, with faces: [FaceRecord], _ db: Database) throws {
        let old = try Self.faces(db, "WHERE photoID = ? ORDER BY faceIndex", [photoID])
        let representatives = Set(try Int.fetchAll(db, sql: "SELECT faceIndex FROM face WHERE photoID = ? AND representative = 1",
                                                   arguments: [photoID]))
        try db.execute(sql: "DELETE FROM face WHERE photoID = ?", arguments: [photoID])
        let insert = try db.makeStatement(sql: """
            INSERT INTO face (\(faceColumns), clustered, representative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (face, clustered, from) in FaceRecord.carrying(old, into: faces) {
            let representative = from.map { representatives.contains($0.index) } ?? false
            try insert.execute(arguments: [photoID, face.key.index, face.x, face.y, face.w, face.h, face.descriptorBytes,
                                           face.quality, face.personID, face.movedByHand, clustered, representative])
        }
    }

    public func people(includingHidden: Bool) throws -> [PersonSummary] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.personID, p.id, p.path FROM face f JOIN photo p ON p.id = f.photoID
                WHERE f.personID IS NOT NULL AND p.missing = 0 ORDER BY f.personID, p.path
                """)
            var faces = [Int64: Int](), photos = [Int64: [(Int64, String)]]()
            for row in rows {
                let person: Int64 = row[0], photo: Int64 = row[1]
                faces[person, default: 0] += 1
                if photos[person]?.last?.0 != photo { photos[person, default: []].append((photo, row[2])) }
            }
            let people = try Row.fetchAll(db, sql: "SELECT \(Self.personColumns) FROM person \(includingHidden ? "" : "WHERE hidden = 0")")
                .map(Self.person).filter { faces[$0.id] != nil }
            return PeopleOrder.sorted(people.map { person in
                PersonSummary(person: person, faces: faces[person.id] ?? 0, photoIDs: photos[person.id]?.map(\.0) ?? [],
                              paths: photos[person.id]?.map(\.1) ?? [])
            })
        }
    }

    public func person(id: Int64) throws -> PersonRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.personColumns) FROM person WHERE id = ?", arguments: [id]).map(Self.person)
        }
    }

    public func faces(photoID: Int64) throws -> [FaceRecord] {
        try pool.read { db in try Self.faces(db, "WHERE photoID = ? ORDER BY faceIndex", [photoID]) }
    }

    public func faces(personID: Int64) throws -> [FaceRecord] {
        try pool.read { db in
            try Self.faces(db, "WHERE personID = ? ORDER BY coalesce(quality, 0) DESC, photoID, faceIndex", [personID])
        }
    }

    public func people(inPhotos ids: [Int64]) throws -> [Int64: [PersonRecord]] {
        try pool.read { db in
            var found = [Int64: [PersonRecord]]()
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT DISTINCT f.photoID, p.id, p.name, p.hidden, p.createdAt FROM face f JOIN person p ON p.id = f.personID
                    WHERE f.photoID IN (\(chunk.map(String.init).joined(separator: ","))) ORDER BY f.photoID, p.id
                    """)
                for row in rows {
                    found[row[0], default: []].append(PersonRecord(id: row[1], name: row[2], hidden: row[3], createdAt: row[4]))
                }
            }
            return found
        }
    }

    /// Changes a person, or says there is no such person.
    private func changePerson(_ id: Int64, _ sql: String, _ arguments: StatementArguments) throws {
        try pool.write { db in
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else { throw PeopleError.unknownPerson(id) }
        }
    }

    public func name(person id: Int64, _ name: String?) throws {
        try changePerson(id, "UPDATE person SET name = ? WHERE id = ?", [name, id])
    }

    public func setHidden(person id: Int64, _ hidden: Bool) throws {
        try changePerson(id, "UPDATE person SET hidden = ? WHERE id = ?", [hidden, id])
    }

    public func merge(person source: Int64, into target: Int64) throws {
        guard source != target else { return }
        try pool.write { db in
            for id in [source, target] where try !Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [id]).isTrue {
                throw PeopleError.unknownPerson(id)
            }
            try db.execute(sql: """
                UPDATE person SET name = (SELECT name FROM person WHERE id = ?) WHERE id = ? AND name IS NULL
                """, arguments: [source, target])
            try db.execute(sql: "UPDATE face SET personID = ? WHERE personID = ?", arguments: [target, source])
            try db.execute(sql: "DELETE FROM person WHERE id = ?", arguments: [source])
        }
    }

    public func move(face: FaceKey, to person: Int64?) throws {
        try pool.write { db in
            if let person, try !Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [person]).isTrue {
                throw PeopleError.unknownPerson(person)
            }
            try db.execute(sql: """
                UPDATE face SET personID = ?, movedByHand = 1, clustered = 1, representative = 0 WHERE photoID = ? AND faceIndex = ?
                """, arguments: [person, face.photoID, face.index])
            guard db.changesCount == 1 else { throw PeopleError.unknownFace(face) }
        }
    }

    public func facesToCluster(limit: Int) throws -> [FaceRecord] {
        try pool.read { db in try Self.faces(db, "WHERE clustered = 0 ORDER BY photoID, faceIndex LIMIT ?", [limit]) }
    }

    public func representativeFaces() throws -> [FaceRecord] {
        try pool.read { db in try Self.faces(db, "WHERE representative = 1 AND personID IS NOT NULL ORDER BY personID, photoID, faceIndex") }
    }

    public func looseFaces(minQuality: Double) throws -> [FaceRecord] {
        try pool.read { db in
            try Self.faces(db, """
                WHERE personID IS NULL AND clustered = 1 AND movedByHand = 0 AND descriptor IS NOT NULL AND quality >= ?
                ORDER BY photoID, faceIndex
                """, [minQuality])
        }
    }

    public func peopleMark() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT mark FROM peopleMark") ?? 0 }
    }

    public func apply(_ outcome: ClusteringOutcome, over mark: Int64) throws -> (formed: [Int64], mark: Int64, current: Bool) {
        try pool.write { db in
            let before = try Int64.fetchOne(db, sql: "SELECT mark FROM peopleMark") ?? 0
            let now = Date().timeIntervalSince1970
            // Only a face that is still nobody's, and was not placed by hand meanwhile, is given to someone.
            let give = try db.makeStatement(sql: """
                UPDATE face SET personID = ?, clustered = 1 WHERE photoID = ? AND faceIndex = ? AND personID IS NULL
                AND movedByHand = 0 AND EXISTS (SELECT 1 FROM person WHERE id = ?)
                """)
            for (key, person) in outcome.joins.sorted(by: { $0.key < $1.key }) {
                try give.execute(arguments: [person, key.photoID, key.index, person])
            }
            var formed = [Int64]()
            for group in outcome.newPeople {
                try db.execute(sql: "INSERT INTO person (createdAt) VALUES (?)", arguments: [now])
                let person = db.lastInsertedRowID
                for key in group { try give.execute(arguments: [person, key.photoID, key.index, person]) }
                formed.append(person)
            }
            let stand = try db.makeStatement(sql: """
                UPDATE face SET representative = 1 WHERE photoID = ? AND faceIndex = ? AND personID IS NOT NULL
                """)
            for key in outcome.representatives { try stand.execute(arguments: [key.photoID, key.index]) }
            let seen = try db.makeStatement(sql: "UPDATE face SET clustered = 1 WHERE photoID = ? AND faceIndex = ?")
            for key in outcome.seen { try seen.execute(arguments: [key.photoID, key.index]) }
            try db.execute(sql: """
                DELETE FROM person WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM face WHERE personID = person.id)
                """)
            return (formed, try Int64.fetchOne(db, sql: "SELECT mark FROM peopleMark") ?? 0, before == mark)
        }
    }
}

private extension Optional where Wrapped == Bool {
    var isTrue: Bool { self ?? false }
}
