import Foundation
import Catalogue
import Indexer
import SQLiteCatalogue
import TestSupport
import ViewfinderCore
import XCTest

/// Named regions find the detected faces they cover (the best overlap wins, each face and region once), and
/// seed people: an unnamed person takes the name, a face of nobody joins or forms the person of that name.
final class RegionFacesTests: XCTestCase {
    func face(_ index: Int, _ x: Double, _ y: Double, _ w: Double, _ h: Double, photo: Int64 = 1) -> FaceRecord {
        FaceRecord(key: FaceKey(photoID: photo, index: index), x: x, y: y, w: w, h: h, descriptor: nil, quality: 0.9)
    }

    func testEachRegionNamesTheFaceItOverlapsMost() {
        let detected = [face(0, 0.10, 0.10, 0.20, 0.20), face(1, 0.15, 0.12, 0.20, 0.20), face(2, 0.70, 0.50, 0.10, 0.10)]
        let regions = [NamedRegion(name: "Ada", x: 0.14, y: 0.12, w: 0.20, h: 0.21),   // both first faces; the second more
                       NamedRegion(name: "Grace", x: 0.09, y: 0.10, w: 0.20, h: 0.20), // the first, left to it
                       NamedRegion(name: "Alan", x: 0.40, y: 0.40, w: 0.10, h: 0.10)]  // no face there
        let matched = RegionFaces.match(regions, to: detected)
        XCTAssertEqual(matched.names, ["Grace", "Ada", nil])
        XCTAssertEqual(matched.unmatched.map(\.name), ["Alan"])
    }

    func testABoxOverlappingLessThanAThirdIsAnotherFace() {
        // 0.1 × 0.2 shared over a union of 0.06 (a third) names the face; 0.09 × 0.2 over 0.062 (0.29) does not.
        let detected = [face(0, 0.0, 0.0, 0.2, 0.2)]
        XCTAssertEqual(RegionFaces.match([NamedRegion(name: "Ada", x: 0.1, y: 0.0, w: 0.2, h: 0.2)], to: detected).names, ["Ada"])
        XCTAssertEqual(RegionFaces.match([NamedRegion(name: "Ada", x: 0.11, y: 0.0, w: 0.2, h: 0.2)], to: detected).names, [nil])
    }

    func testRegionsNameTheirFacesPeople() throws {
        let scratch = try ScratchFolder("region-people")
        defer { scratch.remove() }
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let me = JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600)
        func commit(_ change: CatalogueChange, _ target: String) throws {
            try store.enqueue([JobRecord(kind: .index, target: target)])
            let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 100, for: me).last)
            XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change)], owner: me.owner).applied, 1)
        }
        // Two photos, two faces each, side by side; the file named the left face of each, differently.
        var ids = [Int64]()
        for (path, name) in [("/lib/a.jpg", "Ada Lovelace"), ("/lib/b.jpg", "Grace Hopper")] {
            let region = NamedRegion(name: name, x: 0.02, y: 0.1, w: 0.2, h: 0.25)
            try commit(.photo(PhotoRecord(path: path, fileSize: 1, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: path),
                                          metadata: PhotoMetadata(width: 4, height: 3, regions: [region], format: .jpeg),
                                          thumbhash: nil, indexedAt: 0), warnings: [], needsPreview: false), path)
            let id = try XCTUnwrap(try store.photo(atPath: path)?.id)
            let faces = [face(0, 0.0, 0.1, 0.2, 0.25, photo: id), face(1, 0.3, 0.1, 0.2, 0.25, photo: id)]
            let description = DescriptionRecord(photoID: id, contentHash: path, caption: "", labels: "[]", text: "", faces: "[]",
                                                faceCount: 2, place: nil, models: "[]", describedAt: 1)
            try commit(.described(description, vectors: [], rewrite: nil, problem: nil, faces: faces), "describe " + path)
            ids.append(id)
        }
        // Clustering put both left faces in one unnamed person; the right face of a.jpg stays nobody's.
        let formed = try store.apply(ClusteringOutcome(newPeople: [[FaceKey(photoID: ids[0], index: 0), FaceKey(photoID: ids[1], index: 0)]]))
        try RegionFaces.seedPeople(photos: ids, in: store)
        XCTAssertEqual(try store.person(id: formed[0])?.name, "Ada Lovelace", "the first name read names the unnamed person")
        XCTAssertEqual(try store.people(includingHidden: false).map(\.person.name), ["Ada Lovelace"],
                       "a person named already keeps the name; faces without a region stay nobody's")
        XCTAssertNil(try store.faces(photoID: ids[0])[1].personID)
        // A face of nobody under a region joins the person of that name, or forms one.
        let c = NamedRegion(name: "Alan Turing", x: 0.3, y: 0.1, w: 0.2, h: 0.25)
        try commit(.photo(PhotoRecord(path: "/lib/a.jpg", fileSize: 1, modifiedAt: 2, sidecarModifiedAt: nil, contentHash: ContentHash(hex: "/lib/a.jpg"),
                                      metadata: PhotoMetadata(width: 4, height: 3, regions: [NamedRegion(name: "Ada Lovelace", x: 0.02, y: 0.1, w: 0.2, h: 0.25), c], format: .jpeg),
                                      thumbhash: nil, indexedAt: 0), warnings: [], needsPreview: false), "/lib/a.jpg")
        try RegionFaces.seedPeople(photos: [ids[0]], in: store)
        XCTAssertEqual(Set(try store.people(includingHidden: false).map(\.person.name)), ["Ada Lovelace", "Alan Turing"])
        XCTAssertNotNil(try store.faces(photoID: ids[0])[1].personID)
    }

    func testNamedPeopleAreWrittenBackAsRegionsThatExiftoolReads() throws {
        let scratch = try ScratchFolder("people-write-back")
        defer { scratch.remove() }
        let (folder, reason) = Corpus.folder("exif/gps")
        guard let folder else { throw XCTSkip(reason) }
        let photo = try scratch.copy([folder.appendingPathComponent("es-DSCN0010.jpg")], into: "library")[0]
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let me = JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600)
        func commit(_ change: CatalogueChange, _ target: String) throws {
            try store.enqueue([JobRecord(kind: .index, target: target)])
            let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 100, for: me).last)
            XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change)], owner: me.owner).applied, 1)
        }
        let bytes = Array(try Data(contentsOf: photo))
        try commit(.photo(PhotoRecord(path: photo.path, fileSize: Int64(bytes.count), modifiedAt: 1, sidecarModifiedAt: nil,
                                      contentHash: ContentHash(hex: "aa"), metadata: PhotoMetadata(width: 640, height: 480, format: .jpeg),
                                      thumbhash: nil, indexedAt: 0), warnings: [], needsPreview: false), photo.path)
        let id = try XCTUnwrap(try store.photo(atPath: photo.path)?.id)
        let description = DescriptionRecord(photoID: id, contentHash: "aa", caption: "", labels: "[]", text: "", faces: "[]",
                                            faceCount: 2, place: nil, models: "[]", describedAt: 1)
        try commit(.described(description, vectors: [], rewrite: nil, problem: nil,
                              faces: [face(0, 0.1, 0.2, 0.2, 0.3, photo: id), face(1, 0.6, 0.2, 0.2, 0.3, photo: id)]), "describe")
        let people = try store.apply(ClusteringOutcome(newPeople: [[FaceKey(photoID: id, index: 0)], [FaceKey(photoID: id, index: 1)]]))
        try store.name(person: people[0], "Ada Lovelace")  // the other person has no name: not written
        let outcome = try PeopleWriteBack.run(store, mode: .sidecar)
        XCTAssertEqual(outcome.written, 1)
        XCTAssertEqual(outcome.failures, [])
        let read = try runProgram(try requireExiftool(), ["-s", "-s", "-s", "-RegionName", "-RegionType", "-RegionAreaX", "-RegionAreaY",
                                                          "-RegionAreaW", "-RegionAreaH", photo.path + ".xmp"]).stdout
        XCTAssertEqual(read, "Ada Lovelace\nFace\n0.2\n0.35\n0.2\n0.3\n")
    }
}
