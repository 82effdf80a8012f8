import Catalogue
import Foundation
import SQLiteCatalogue
import TestSupport
import XCTest

/// `viewfinder people` on a small library of real photos whose faces are given descriptors, as the face model
/// would: the indexer groups them at the end of its run, and people are named, merged, hidden and moved.
final class PeopleCommandTests: CLITestCase {
    /// Three people as points 1.0 apart in dlib's 128 dimensions, a face a little off its person.
    func descriptor(_ person: Int, _ jitter: Float) -> [Float] {
        var values = [Float](repeating: jitter, count: 128)
        values[person] = 0.7
        return values
    }

    /// Gives each photo the faces listed (people by number), as a describe job of the worker would.
    func describe(_ faces: [String: [Int]]) throws {
        let store = try SQLiteStore(path: data + "/catalogue.sqlite")
        let claim = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 600)
        let ids = try faces.keys.sorted().map { try XCTUnwrap(try store.photo(atPath: $0)?.id, $0) }
        try store.enqueue(ids.map { JobRecord(kind: .describe, target: String($0)) })
        let jobs = try store.claimJobs(.describe, after: 0, suspects: false, limit: 100, for: claim)
        for (path, people) in faces.sorted(by: { $0.key < $1.key }) {
            let id = try XCTUnwrap(try store.photo(atPath: path)?.id, path)
            let job = try XCTUnwrap(jobs.first { $0.target == String(id) })
            let records = people.enumerated().map { index, person in
                FaceRecord(key: FaceKey(photoID: id, index: index), x: 0.1 + Double(index) * 0.4, y: 0.2, w: 0.3, h: 0.4,
                           descriptor: descriptor(person, Float(id % 7) * 0.003), quality: 0.9)
            }
            let json = "[" + records.map { String(format: #"{"x":%g,"y":0.2,"w":0.3,"h":0.4,"score":0.9,"quality":0.9}"#, $0.x) }
                .joined(separator: ",") + "]"
            let description = DescriptionRecord(photoID: id, contentHash: try XCTUnwrap(try store.photo(id: id)).contentHash,
                                                caption: "people", labels: "[]", text: "", faces: json, faceCount: records.count,
                                                place: nil, models: "[]", describedAt: 1)
            try store.commit([FinishedJob(job: job, change: .described(description, vectors: [], rewrite: nil, problem: nil,
                                                                        faces: records))], owner: claim.owner)
        }
    }

    func people(_ extra: String...) throws -> [[String: Any]] {
        let result = try runProgram(try binary, ["people", "--json"] + extra, environment: ["VIEWFINDER_DATA": data])
        XCTAssertEqual(result.status, 0, result.stderr)
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(answer["people"] as? [[String: Any]])
    }

    func testPeopleAreFormedNamedMergedHiddenAndMoved() throws {
        let photos = try corpusFiles("people").filter { $0.pathExtension == "jpg" }.prefix(4).map { $0 }
        guard photos.count == 4 else { throw XCTSkip("the people corpus has fewer than four JPEGs") }
        let library = try scratch.copy(photos, into: "library").map { $0.resolvingSymlinksInPath().path }.sorted()
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)
        // Ada in the first three photos, Bob in the third (with Ada) and the fourth, Cy once.
        try describe([library[0]: [0], library[1]: [0], library[2]: [0, 1], library[3]: [1, 2]])
        let run = try viewfinder("index", "--no-vision", scratch.path + "/library")
        XCTAssertTrue(run.stdout.contains("2 new people"), run.stdout)

        var found = try people()
        XCTAssertEqual(found.count, 2)
        XCTAssertTrue(found.allSatisfy { $0["name"] is NSNull }, "unnamed people have a null name")
        let ada = try XCTUnwrap(found.first { ($0["photos"] as? [String]) == Array(library[0...2]) })
        let bob = try XCTUnwrap(found.first { ($0["photos"] as? [String]) == [library[2], library[3]] }, "\(found)")
        XCTAssertEqual(ada["faces"] as? Int, 3)
        let (adaID, bobID) = (try XCTUnwrap(ada["id"] as? Int), try XCTUnwrap(bob["id"] as? Int))

        XCTAssertEqual(try viewfinder("people", "name", String(bobID), "Bob").status, 0)
        XCTAssertEqual(try viewfinder("people", "name", String(adaID), "Ada Lovelace").status, 0)
        found = try people()
        XCTAssertEqual(found.map { $0["name"] as? String }, ["Ada Lovelace", "Bob"])
        let shown = try XCTUnwrap(try json("show", "--json", library[2]) as? [String: Any])
        let faces = try XCTUnwrap(shown["faces"] as? [[String: Any]])
        XCTAssertEqual(faces.map { ($0["person"] as? [String: Any])?["name"] as? String }, ["Ada Lovelace", "Bob"])
        XCTAssertTrue(try viewfinder("show", library[2]).stdout.contains("2 (Ada Lovelace, Bob)"))

        let unknown = try viewfinder("people", "name", "999", "Nobody")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("there is no person 999"), unknown.stderr)

        // Cy, seen once, is nobody's; put by hand with Bob, then back with nobody.
        XCTAssertEqual(try viewfinder("people", "move", library[3], "1", String(bobID)).status, 0)
        XCTAssertEqual(try people().first { $0["id"] as? Int == bobID }?["faces"] as? Int, 3)
        let noFace = try viewfinder("people", "move", library[3], "5", "none")
        XCTAssertTrue(noFace.stderr.contains("has no face 5"), noFace.stderr)
        XCTAssertEqual(try viewfinder("people", "move", library[3], "1", "none").status, 0)
        XCTAssertEqual(try people().first { $0["id"] as? Int == bobID }?["faces"] as? Int, 2)

        XCTAssertEqual(try viewfinder("people", "merge", String(bobID), String(adaID)).status, 0)
        found = try people()
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?["photos"] as? [String], library)
        XCTAssertEqual(found.first?["faces"] as? Int, 5)

        XCTAssertEqual(try viewfinder("people", "hide", String(adaID)).status, 0)
        XCTAssertEqual(try people().count, 0)
        XCTAssertEqual(try people("--all").count, 1)
        // Indexing again forms nobody anew and renames nobody.
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)
        XCTAssertEqual(try people("--all").map { $0["name"] as? String }, ["Ada Lovelace"])
    }
}
