import Catalogue
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import XCTest

private func token(_ client: any TestClientProtocol) async throws -> String {
    let session = try await client.execute(uri: "/api/session", method: .get).json()
    return try XCTUnwrap(session["token"] as? String)
}

private func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, token: String) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .post,
                             headers: [.contentType: "application/json", HTTPField.Name("X-Viewfinder-Token")!: token],
                             body: ByteBuffer(string: body))
}

private func list(_ client: any TestClientProtocol, _ uri: String, _ key: String) async throws -> [[String: Any]] {
    let answer = try await client.execute(uri: uri, method: .get).json()
    return try XCTUnwrap(answer[key] as? [[String: Any]], "\(answer)")
}

/// The file names a search answers with.
private func names(_ client: any TestClientProtocol, _ query: String) async throws -> Set<String> {
    let hits = try await list(client, "/api/search?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, "hits")
    return Set(hits.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } })
}

/// The people API on the fixture's real photos, whose faces (boxes and descriptors) are put in through the store:
/// naming a person makes exactly their photos a search's answer, and merge, hide and moving a face reach search
/// at once. Writes pass the same checks as every other POST.
final class PeopleRouteTests: XCTestCase {
    private var fixture: ServerFixture!
    /// The two people the store formed: Ada in the dog and the Nikon photo, Grace in the Nikon and the Ixus one.
    private var ada: Int64 = 0, grace: Int64 = 0

    override func setUpWithError() throws {
        fixture = try ServerFixture()
        let store = fixture.library.store
        let dog = fixture.id("dk-dog.jpg"), nikon = fixture.id("es-DSCN0025.jpg"), ixus = fixture.id("es-canon-ixus.jpg")
        let near = { (seed: Float) in (0..<128).map { Float($0 % 7) * 0.01 + seed } }
        try PeopleFixture.describe(store, dog, faces: [near(0)])
        try PeopleFixture.describe(store, nikon, faces: [near(0.001), near(0.5)])
        try PeopleFixture.describe(store, ixus, faces: [near(0.501)])
        let formed = try store.apply(ClusteringOutcome(
            newPeople: [[FaceKey(photoID: dog, index: 0), FaceKey(photoID: nikon, index: 0)],
                        [FaceKey(photoID: nikon, index: 1), FaceKey(photoID: ixus, index: 0)]],
            seen: [FaceKey(photoID: dog, index: 0), FaceKey(photoID: nikon, index: 0), FaceKey(photoID: nikon, index: 1),
                   FaceKey(photoID: ixus, index: 0)]))
        (ada, grace) = (formed[0], formed[1])
        try fixture.library.catchUp()
    }

    override func tearDown() { fixture = nil }


    func testNamingAPersonThenSearchingReturnsExactlyTheirPhotos() async throws {
        try await fixture.test { [ada, grace, fixture = fixture!] client in
            let listed = try await list(client, "/api/people", "people")
            XCTAssertEqual(Set(listed.compactMap { $0["id"] as? Int64 }), [ada, grace])
            XCTAssertTrue(listed.allSatisfy { $0["name"] is NSNull && ($0["photos"] as? Int) == 2 }, "\(listed)")
            let cover = try XCTUnwrap(listed.first?["cover"] as? [String: Any])
            XCTAssertTrue((cover["thumb"] as? String)?.hasPrefix("/thumb/") == true, "\(cover)")

            let token = try await token(client)
            let named = try await post(client, "/api/people/\(ada)/name", #"{"name": "Ada Lovelace"}"#, token: token)
            XCTAssertEqual(named.status, .ok, named.text)
            XCTAssertEqual(try named.json()["name"] as? String, "Ada Lovelace")
            let ours = try await names(client, #"person:"Ada Lovelace""#)
            XCTAssertEqual(ours, ["dk-dog.jpg", "es-DSCN0025.jpg"])
            let typed = try await names(client, "lovelace")
            XCTAssertEqual(typed, ["dk-dog.jpg", "es-DSCN0025.jpg"], "the name typed as a word")
            let facets = try await client.execute(uri: "/api/search?q=lovelace", method: .get).json()["facets"] as? [String: Any]
            XCTAssertEqual(facets?["person"] as? [String: Int], ["Ada Lovelace": 2])

            // Named people come first on the People page, the unnamed after.
            let order = try await list(client, "/api/people", "people")
            XCTAssertEqual(order.compactMap { $0["id"] as? Int64 }, [ada, grace])
            // A person's page lists their photos, newest first.
            let page = try await client.execute(uri: "/api/people/\(ada)", method: .get).json()
            let photos = try XCTUnwrap(page["photoList"] as? [[String: Any]]).compactMap { $0["id"] as? Int64 }
            let theirs: Set = [fixture.id("dk-dog.jpg"), fixture.id("es-DSCN0025.jpg")]
            XCTAssertEqual(photos, fixture.library.snapshot.newestFirst.filter(theirs.contains))
        }
    }

    func testMergeHideAndMovingAFaceReachSearchAtOnce() async throws {
        try await fixture.test { [ada, grace, fixture = fixture!] client in
            let token = try await token(client)
            _ = try await post(client, "/api/people/\(ada)/name", #"{"name": "Ada"}"#, token: token)
            _ = try await post(client, "/api/people/\(grace)/name", #"{"name": "Grace"}"#, token: token)
            let both = try await names(client, #"person:ada person:grace"#)
            XCTAssertEqual(both, ["es-DSCN0025.jpg"], "together in one photo")

            // Ada's face in the dog photo is nobody's after all.
            let moved = try await post(client, "/api/photos/\(fixture.id("dk-dog.jpg"))/faces/0/person", #"{"person": null}"#, token: token)
            XCTAssertEqual(moved.status, .noContent, moved.text)
            let adaNow = try await names(client, "person:ada")
            XCTAssertEqual(adaNow, ["es-DSCN0025.jpg"])

            let merged = try await post(client, "/api/people/\(grace)/merge", #"{"into": \#(ada)}"#, token: token)
            XCTAssertEqual(merged.status, .ok, merged.text)
            let afterMerge = try await names(client, "person:ada")
            XCTAssertEqual(afterMerge, ["es-DSCN0025.jpg", "es-canon-ixus.jpg"])
            let graceGone = try await names(client, "person:grace")
            XCTAssertEqual(graceGone, [])

            let hidden = try await post(client, "/api/people/\(ada)/hide", #"{"hidden": true}"#, token: token)
            XCTAssertEqual(hidden.status, .ok, hidden.text)
            let afterHiding = try await names(client, "person:ada")
            XCTAssertEqual(afterHiding, [], "a hidden person is not searchable by name")
            let listed = try await list(client, "/api/people", "people")
            XCTAssertFalse(listed.contains { $0["id"] as? Int64 == ada }, "nor listed")

            let unknown = try await post(client, "/api/people/999999/name", #"{"name": "Nobody"}"#, token: token)
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    func testANameGivenElsewhereReachesARunningServerThroughTheChangeLog() throws {
        // As `viewfinder people name` in another process would: the store alone, then the server's catch-up.
        try fixture.library.store.name(person: grace, "Grace Hopper")
        XCTAssertEqual(try fixture.library.catchUp(), 2, "both of her photos changed for search")
        let found = try fixture.library.snapshot.engine.search("person:\"grace hopper\"").hits.map(\.id)
        XCTAssertEqual(Set(found), [fixture.id("es-DSCN0025.jpg"), fixture.id("es-canon-ixus.jpg")])
    }

    func testWritesNeedThePagesTokenAndASessionWhereThereIsAPassword() async throws {
        try await fixture.test { [ada] client in
            let forged = try await post(client, "/api/people/\(ada)/name", #"{"name": "Mallory"}"#, token: "guess")
            XCTAssertEqual(forged.status, .forbidden)
        }
        try await fixture.test(password: "correct horse battery") { [ada] client in
            let token = try await token(client)
            let signedOut = try await post(client, "/api/people/\(ada)/name", #"{"name": "Mallory"}"#, token: token)
            XCTAssertEqual(signedOut.status, .unauthorized)
            let listed = try await client.execute(uri: "/api/people", method: .get)
            XCTAssertEqual(listed.status, .unauthorized)
        }
        XCTAssertNil(try fixture.library.store.person(id: ada)?.name, "nothing was named")
    }
}

/// Faces put into a catalogue as the describing job commits them: boxes side by side, with the descriptors given.
enum PeopleFixture {
    static func describe(_ store: PhotoStore, _ id: Int64, faces descriptors: [[Float]]) throws {
        let photo = try XCTUnwrap(try store.photo(id: id))
        try store.enqueue([JobRecord(kind: .describe, target: String(id))])
        let claim = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 600)
        let job = try XCTUnwrap(try store.claimJobs(.describe, after: 0, suspects: false, limit: 100, for: claim).first { $0.target == String(id) })
        let faces = descriptors.enumerated().map { index, descriptor in
            FaceRecord(key: FaceKey(photoID: id, index: index), x: 0.1 + 0.4 * Double(index), y: 0.2, w: 0.3, h: 0.4,
                       descriptor: descriptor, quality: 0.9)
        }
        let boxes = faces.map { #"{"x":\#($0.x),"y":\#($0.y),"w":\#($0.w),"h":\#($0.h),"score":0.9}"# }.joined(separator: ",")
        let record = DescriptionRecord(photoID: id, contentHash: photo.contentHash, caption: "", labels: "[]", text: "",
                                       faces: "[" + boxes + "]", faceCount: faces.count, place: nil, models: "[]",
                                       describedAt: Date().timeIntervalSince1970)
        let outcome = try store.commit([FinishedJob(job: job, change: .described(record, vectors: [], rewrite: nil, problem: nil, faces: faces))],
                                       owner: claim.owner)
        XCTAssertEqual(outcome.applied, 1)
        try store.releaseClaims(owner: claim.owner)
    }
}
