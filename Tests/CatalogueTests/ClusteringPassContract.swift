import XCTest
import Catalogue
import People

/// Clustering that keeps its known faces between passes, on both stores: it reads them once, follows its own
/// changes, and reads them again after a change made through another handle, whose work it never undoes.
extension CatalogueContractTests {
    func person(_ photo: Int64, _ index: Int = 0) throws -> Int64? { try store.faces(photoID: photo)[index].personID }

    func testClusteringKeepsWhatItKnowsUntilAnotherHandleChangesPeople() throws {
        try onEachStore {
            let pass = ClusteringPass()
            let a = try describedPhoto("/lib/a.jpg", faces: [0]), b = try describedPhoto("/lib/b.jpg", faces: [0])
            let lone = try describedPhoto("/lib/lone.jpg", faces: [2])
            XCTAssertEqual(try pass.run(store).people, 1)
            XCTAssertEqual(pass.loads, 1)
            let ada = try XCTUnwrap(try person(a))

            // Its own changes moved the mark: the next pass reads only its new faces.
            let quiet = try store.peopleMark()
            let c = try describedPhoto("/lib/c.jpg", faces: [0]), d = try describedPhoto("/lib/d.jpg", faces: [1])
            let e = try describedPhoto("/lib/e.jpg", faces: [1])
            XCTAssertEqual(try store.peopleMark(), quiet, "new faces alone change nothing clustering knows")
            let read = pass.facesRead
            XCTAssertEqual(try pass.run(store).people, 1)
            XCTAssertEqual(pass.loads, 1, "nothing but its own changes since it read the known faces")
            XCTAssertEqual(pass.facesRead - read, 3, "a pass reads its batch, not the library")
            XCTAssertEqual(try person(c), ada)
            let bob = try XCTUnwrap(try person(d))
            XCTAssertEqual(try person(e), bob)

            // Another process merges Bob into Ada, names her, and puts the lone face with nobody for good.
            let other = try reopen()
            try other.merge(person: bob, into: ada)
            try other.name(person: ada, "Ada")
            try other.move(face: key(lone), to: nil)
            let f = try describedPhoto("/lib/f.jpg", faces: [1]), g = try describedPhoto("/lib/g.jpg", faces: [2])
            XCTAssertEqual(try pass.run(store).people, 0)
            XCTAssertEqual(pass.loads, 2, "the mark moved by another hand: the known faces are read again")
            XCTAssertEqual(try person(f), ada, "a face of merged Bob joins Ada, not a person who is gone")
            XCTAssertNil(try person(g), "the face moved to nobody by hand is no longer loose, so no person forms with it")
            XCTAssertNil(try person(lone))
            XCTAssertEqual(try store.faces(photoID: lone).first?.movedByHand, true)
            XCTAssertEqual(try store.person(id: ada)?.name, "Ada")
            XCTAssertEqual([try person(a), try person(b), try person(d)], [ada, ada, ada])

            // A removed photo takes its faces (and any loose one) away: the mark moves, so they are read again.
            let beforeRemoval = try store.peopleMark()
            try finish(.gone(path: "/lib/g.jpg"), target: "/lib/g.jpg")
            _ = try store.removeMissing(under: ["/lib"], offlineBefore: 0)
            XCTAssertGreaterThan(try store.peopleMark(), beforeRemoval, "faces removed with their photo move the mark")
            let h = try describedPhoto("/lib/h.jpg", faces: [2])
            try pass.run(store)
            XCTAssertEqual(pass.loads, 3)
            XCTAssertNil(try person(h), "the removed photo's loose face is not known any more, so no person forms with it")
        }
    }
}

extension CatalogueContractTests {
    func testAHandMoveMadeWhileABatchIsDecidedIsNotUndone() throws {
        try onEachStore {
            let pass = ClusteringPass()
            try describedPhoto("/lib/a.jpg", faces: [0])
            try describedPhoto("/lib/b.jpg", faces: [0])
            XCTAssertEqual(try pass.run(store).people, 1)
            let x = try describedPhoto("/lib/x.jpg", faces: [3])
            let other = try reopen()
            // Another process puts the new face with nobody for good just after the pass read its batch.
            try pass.run(InterleavedPeople(store) { try other.move(face: self.key(x), to: nil) })
            XCTAssertEqual(try store.faces(photoID: x).first?.movedByHand, true)
            XCTAssertNil(try person(x))
            let z = try describedPhoto("/lib/z.jpg", faces: [3])
            try pass.run(store)
            XCTAssertNil(try person(z), "the face moved by hand is not loose, so no one-face person forms with it")
        }
    }
}

/// A catalogue on which something else happens once, right after the first batch of faces is read.
private final class InterleavedPeople: PeopleCatalogue, @unchecked Sendable {
    let base: PeopleCatalogue
    var meanwhile: (() throws -> Void)?

    init(_ base: PeopleCatalogue, meanwhile: @escaping () throws -> Void) {
        self.base = base
        self.meanwhile = meanwhile
    }

    func facesToCluster(limit: Int) throws -> [FaceRecord] {
        let batch = try base.facesToCluster(limit: limit)
        if !batch.isEmpty, let happening = meanwhile {
            meanwhile = nil
            try happening()
        }
        return batch
    }

    func people(includingHidden: Bool) throws -> [PersonSummary] { try base.people(includingHidden: includingHidden) }
    func person(id: Int64) throws -> PersonRecord? { try base.person(id: id) }
    func faces(photoID: Int64) throws -> [FaceRecord] { try base.faces(photoID: photoID) }
    func faces(personID: Int64) throws -> [FaceRecord] { try base.faces(personID: personID) }
    func people(inPhotos ids: [Int64]) throws -> [Int64: [PersonRecord]] { try base.people(inPhotos: ids) }
    func name(person id: Int64, _ name: String?) throws { try base.name(person: id, name) }
    func merge(person source: Int64, into target: Int64) throws { try base.merge(person: source, into: target) }
    func setHidden(person id: Int64, _ hidden: Bool) throws { try base.setHidden(person: id, hidden) }
    func move(face: FaceKey, to person: Int64?) throws { try base.move(face: face, to: person) }
    func representativeFaces() throws -> [FaceRecord] { try base.representativeFaces() }
    func looseFaces(minQuality: Double) throws -> [FaceRecord] { try base.looseFaces(minQuality: minQuality) }
    func peopleMark() throws -> Int64 { try base.peopleMark() }
    func apply(_ outcome: ClusteringOutcome, over mark: Int64) throws -> (formed: [Int64], mark: Int64, current: Bool) {
        try base.apply(outcome, over: mark)
    }
}
