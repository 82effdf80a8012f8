import Foundation
import XCTest
import Catalogue
import ViewfinderCore

/// People on both stores: faces stored with their description, clustering applied, and what people do by hand.
extension CatalogueContractTests {
    func descriptor(_ axis: Int) -> [Float] {
        var values = [Float](repeating: 0.01, count: 128)
        values[axis] = 0.7
        return values
    }

    /// Indexes a photo and describes it with faces (boxes side by side), returning its id.
    @discardableResult
    func describedPhoto(_ path: String, faces axes: [Int?], quality: Double = 0.9) throws -> Int64 {
        if try store.photo(atPath: path) == nil {
            try finish(.photo(photo(path, hash: path), warnings: [], needsPreview: false), target: path)
        }
        let id = try XCTUnwrap(try store.photo(atPath: path)?.id)
        let faces = axes.enumerated().map { index, axis in
            FaceRecord(key: FaceKey(photoID: id, index: index), x: Double(index) * 0.3, y: 0.1, w: 0.2, h: 0.25,
                       descriptor: axis.map(descriptor), quality: quality)
        }
        let description = DescriptionRecord(photoID: id, contentHash: path, caption: "people", labels: "[]", text: "", faces: "[]",
                                            faceCount: faces.count, place: nil, models: "[]", describedAt: 1)
        try finish(.described(description, vectors: [], rewrite: nil, problem: nil, faces: faces), target: "describe " + path)
        return id
    }

    func key(_ photo: Int64, _ index: Int = 0) -> FaceKey { FaceKey(photoID: photo, index: index) }

    func changedPhotos(since mark: ChangeMark) throws -> Set<Int64> {
        Set(try XCTUnwrap(try store.changes(after: mark.seq, limit: 10_000)).photoIDs)
    }

    func testFacesAreStoredWithTheirDescriptionAndClusteringIsAppliedOnce() throws {
        try onEachStore {
            let a = try describedPhoto("/lib/a.jpg", faces: [0, 1]), b = try describedPhoto("/lib/b.jpg", faces: [0])
            let c = try describedPhoto("/lib/c.jpg", faces: [2, nil])
            let pending = try store.facesToCluster(limit: 100)
            XCTAssertEqual(pending.map(\.key), [key(a), key(a, 1), key(b), key(c), key(c, 1)])
            XCTAssertEqual(pending[0].descriptor, descriptor(0), "descriptors come back as they went in")
            XCTAssertEqual(pending[0].quality, 0.9)
            XCTAssertEqual(pending[1].x, 0.3)
            XCTAssertNil(pending[4].descriptor)
            XCTAssertEqual(try store.facesToCluster(limit: 2).count, 2)

            let mark = try store.changeMark()
            let formed = try store.apply(ClusteringOutcome(newPeople: [[key(a), key(b)]], representatives: [key(a)],
                                                           seen: pending.map(\.key)))
            XCTAssertEqual(formed.count, 1)
            let ada = formed[0]
            XCTAssertEqual(try changedPhotos(since: mark), [a, b], "whose faces a photo shows is search text")
            XCTAssertEqual(try store.facesToCluster(limit: 100), [])
            XCTAssertEqual(try store.representativeFaces().map(\.key), [key(a)])
            XCTAssertEqual(try store.looseFaces(minQuality: 0.5).map(\.key), [key(a, 1), key(c)], "faces without descriptors are not loose")
            XCTAssertEqual(try store.looseFaces(minQuality: 0.95), [])
            let people = try store.people(includingHidden: false)
            XCTAssertEqual(people.map(\.person.id), [ada])
            XCTAssertEqual(people.first?.faces, 2)
            XCTAssertEqual(people.first?.paths, ["/lib/a.jpg", "/lib/b.jpg"])
            XCTAssertEqual(people.first?.person.name, nil)
            XCTAssertEqual(try store.faces(photoID: a).map(\.personID), [ada, nil])
            XCTAssertEqual(try store.people(inPhotos: [a, b, c]).mapValues { $0.map(\.id) }, [a: [ada], b: [ada]])

            // A face already someone's is not given to another; nor is a face of a person who is gone.
            try store.apply(ClusteringOutcome(joins: [key(a): 999, key(c): 999]))
            XCTAssertEqual(try store.faces(photoID: a).first?.personID, ada)
            XCTAssertNil(try store.faces(photoID: c).first?.personID)
        }
    }

    func testPeopleAreNamedMergedHiddenAndFacesMovedWithSearchChanges() throws {
        try onEachStore {
            let a = try describedPhoto("/lib/a.jpg", faces: [0]), b = try describedPhoto("/lib/b.jpg", faces: [0])
            let c = try describedPhoto("/lib/c.jpg", faces: [0]), d = try describedPhoto("/lib/d.jpg", faces: [0, 3])
            let ids = try store.apply(ClusteringOutcome(newPeople: [[key(a), key(b)], [key(c), key(d)]],
                                                        seen: try store.facesToCluster(limit: 100).map(\.key)))
            let (ada, other) = (ids[0], ids[1])

            var mark = try store.changeMark()
            try store.name(person: ada, "Ada Lovelace")
            XCTAssertEqual(try store.person(id: ada)?.name, "Ada Lovelace")
            XCTAssertEqual(try changedPhotos(since: mark), [a, b], "a name is search text of every photo of the person")
            XCTAssertEqual(try store.people(includingHidden: false).map(\.person.id), [ada, other], "named people first")
            XCTAssertThrowsError(try store.name(person: 999, "Nobody")) { XCTAssertEqual($0 as? PeopleError, .unknownPerson(999)) }

            mark = try store.changeMark()
            try store.merge(person: other, into: ada)
            XCTAssertNil(try store.person(id: other))
            XCTAssertEqual(try store.person(id: ada)?.name, "Ada Lovelace", "the target keeps its name")
            XCTAssertEqual(try store.people(includingHidden: false).first?.faces, 4)
            XCTAssertEqual(try store.people(includingHidden: false).first?.paths, ["/lib/a.jpg", "/lib/b.jpg", "/lib/c.jpg", "/lib/d.jpg"])
            XCTAssertEqual(try changedPhotos(since: mark), [c, d])
            XCTAssertThrowsError(try store.merge(person: other, into: ada)) { XCTAssertEqual($0 as? PeopleError, .unknownPerson(other)) }

            mark = try store.changeMark()
            try store.move(face: key(d), to: nil)
            let moved = try XCTUnwrap(try store.faces(photoID: d).first)
            XCTAssertNil(moved.personID)
            XCTAssertTrue(moved.movedByHand)
            XCTAssertEqual(try changedPhotos(since: mark), [d])
            XCTAssertFalse(try store.looseFaces(minQuality: 0).contains { $0.key == key(d) }, "a face put with nobody stays nobody's")
            try store.move(face: key(d, 1), to: ada)
            XCTAssertEqual(try store.faces(photoID: d).map(\.personID), [nil, ada])
            XCTAssertThrowsError(try store.move(face: key(d, 7), to: ada)) { XCTAssertEqual($0 as? PeopleError, .unknownFace(key(d, 7))) }
            XCTAssertThrowsError(try store.move(face: key(d), to: 999)) { XCTAssertEqual($0 as? PeopleError, .unknownPerson(999)) }

            try store.setHidden(person: ada, true)
            XCTAssertEqual(try store.people(includingHidden: false), [])
            XCTAssertEqual(try store.people(includingHidden: true).map(\.person.id), [ada])
            XCTAssertEqual(try store.person(id: ada)?.hidden, true)
            XCTAssertThrowsError(try store.setHidden(person: 999, true))
        }
    }

    func testADescribedAgainOrRemovedPhotoLeavesNoFaceBehind() throws {
        try onEachStore {
            let a = try describedPhoto("/lib/a.jpg", faces: [0, 1]), b = try describedPhoto("/lib/b.jpg", faces: [0])
            let ada = try store.apply(ClusteringOutcome(newPeople: [[key(a), key(b)]], seen: try store.facesToCluster(limit: 100).map(\.key)))[0]
            try store.name(person: ada, "Ada")
            try store.move(face: key(a, 1), to: nil)

            // New weights, the same faces: each keeps whose it was, and is not clustered again.
            try describedPhoto("/lib/a.jpg", faces: [0, 1])
            let again = try store.faces(photoID: a)
            XCTAssertEqual(again.map(\.personID), [ada, nil])
            XCTAssertEqual(again.map(\.movedByHand), [false, true])
            XCTAssertEqual(try store.facesToCluster(limit: 100), [])

            // The photo now shows nobody: its faces go, and Ada is left with photo b.
            try describedPhoto("/lib/a.jpg", faces: [])
            XCTAssertEqual(try store.faces(photoID: a), [])
            XCTAssertEqual(try store.people(includingHidden: false).first?.paths, ["/lib/b.jpg"])

            // Photo b removed: no face is left pointing anywhere; a named person with no faces is kept but not listed.
            try finish(.gone(path: "/lib/b.jpg"), target: "/lib/b.jpg")
            XCTAssertEqual(try store.people(includingHidden: false), [], "a missing photo's faces are not listed")
            _ = try store.removeMissing(under: ["/lib"], offlineBefore: 0)
            XCTAssertEqual(try store.faces(photoID: b), [])
            XCTAssertEqual(try store.faces(personID: ada), [])
            try store.apply(ClusteringOutcome())
            XCTAssertEqual(try store.person(id: ada)?.name, "Ada")

            // An unnamed person left with no faces is forgotten at the next clustering.
            let c = try describedPhoto("/lib/c.jpg", faces: [2]), d = try describedPhoto("/lib/d.jpg", faces: [2])
            let nameless = try store.apply(ClusteringOutcome(newPeople: [[key(c), key(d)]], seen: [key(c), key(d)]))[0]
            try store.move(face: key(c), to: ada)
            try store.move(face: key(d), to: ada)
            try store.apply(ClusteringOutcome())
            XCTAssertNil(try store.person(id: nameless))
            XCTAssertEqual(try store.people(includingHidden: false).map(\.faces), [2])
        }
    }
}
