import Catalogue
import Foundation
import SQLiteCatalogue
import TestSupport
import XCTest

/// `viewfinder search 'person:"NAME"' --json` on real photos whose faces the indexer grouped: exactly that person's
/// photos, and a rename seen by the next search.
final class PersonSearchCommandTests: CLITestCase {
    /// The paths a search prints.
    func search(_ query: String) throws -> [String] {
        let answer = try XCTUnwrap(try json("search", "--json", "--no-semantic", "--limit", "100", query) as? [String: Any])
        return try XCTUnwrap(answer["hits"] as? [[String: Any]]).compactMap { $0["path"] as? String }.sorted()
    }

    /// Each photo's faces as the describing job commits them, people given by number: one person's faces lie close.
    func describe(_ faces: [String: [Int]]) throws {
        let store = try SQLiteStore(path: data + "/catalogue.sqlite")
        let claim = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 600)
        let photos = try faces.keys.map { try XCTUnwrap(try store.photo(atPath: $0), $0) }
        try store.enqueue(photos.compactMap(\.id).map { JobRecord(kind: .describe, target: String($0)) })
        let jobs = try store.claimJobs(.describe, after: 0, suspects: false, limit: 100, for: claim)
        for (photo, people) in zip(photos, faces.values) {
            let id = try XCTUnwrap(photo.id)
            let job = try XCTUnwrap(jobs.first { $0.target == String(id) })
            let records = people.enumerated().map { index, person in
                var descriptor = [Float](repeating: Float(id % 5) * 0.004, count: 128)
                descriptor[person] = 0.7
                return FaceRecord(key: FaceKey(photoID: id, index: index), x: 0.1 + Double(index) * 0.4, y: 0.2, w: 0.3, h: 0.4,
                                  descriptor: descriptor, quality: 0.9)
            }
            let boxes = records.map { String(format: #"{"x":%g,"y":0.2,"w":0.3,"h":0.4,"score":0.9}"#, $0.x) }.joined(separator: ",")
            let description = DescriptionRecord(photoID: id, contentHash: photo.contentHash, caption: "people", labels: "[]", text: "",
                                                faces: "[" + boxes + "]", faceCount: records.count, place: nil, models: "[]",
                                                describedAt: 1)
            try store.commit([FinishedJob(job: job, change: .described(description, vectors: [], rewrite: nil, problem: nil,
                                                                        faces: records))], owner: claim.owner)
        }
        try store.releaseClaims(owner: claim.owner)
    }

    func testPersonFindsExactlyThatPersonsPhotos() throws {
        let photos = try corpusFiles("people").filter { $0.pathExtension == "jpg" }.prefix(4).map { $0 }
        guard photos.count == 4 else { throw XCTSkip("the people corpus has fewer than four JPEGs") }
        let library = try scratch.copy(photos, into: "library").map { $0.resolvingSymlinksInPath().path }.sorted()
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)
        // One person in the first three photos, another in the third and the fourth.
        try describe([library[0]: [0], library[1]: [0], library[2]: [0, 1], library[3]: [1]])
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0, "the indexer groups the faces")
        let listed = try XCTUnwrap(try json("people", "--json") as? [String: Any])["people"] as? [[String: Any]]
        let first = try XCTUnwrap(listed?.first { ($0["photos"] as? [String]) == Array(library[0...2]) }?["id"] as? Int, "\(listed ?? [])")
        let second = try XCTUnwrap(listed?.first { ($0["photos"] as? [String]) == Array(library[2...3]) }?["id"] as? Int, "\(listed ?? [])")

        XCTAssertEqual(try search(#"person:"Ada Lovelace""#), [], "nobody has that name yet")
        XCTAssertEqual(try viewfinder("people", "name", String(first), "Ada Lovelace").status, 0)
        XCTAssertEqual(try viewfinder("people", "name", String(second), "Grace Hopper").status, 0)
        XCTAssertEqual(try search(#"person:"Ada Lovelace""#), Array(library[0...2]))
        XCTAssertEqual(try search(#"person:"ada lovelace" person:"grace hopper""#), [library[2]])
        XCTAssertEqual(try search("hopper"), Array(library[2...3]), "a name typed as a word")

        XCTAssertEqual(try viewfinder("people", "name", String(first), "Ada King").status, 0)
        XCTAssertEqual(try search(#"person:"Ada Lovelace""#), [])
        XCTAssertEqual(try search(#"person:"Ada King""#), Array(library[0...2]))
    }
}
