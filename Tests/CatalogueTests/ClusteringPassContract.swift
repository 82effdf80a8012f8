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
