import Foundation
import Hummingbird
import HummingbirdTesting
import Indexer
@testable import Server
import SQLiteCatalogue
import TestSupport
import XCTest

/// `/api/duplicates` groups the photos once and answers from that until the library applies a change: asking again
/// costs no grouping, and a near copy indexed while serving is in the next answer.
final class DuplicateRouteTests: XCTestCase {
    func testASecondRequestDoesNotRegroupAndANewNearCopyAppears() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vips") else {
            throw XCTSkip("the vips command (Debian's libvips-tools) makes the near copy; install it to run this test")
        }
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("duplicate-route")
        defer { scratch.remove() }
        try scratch.copy(["dk-dog.jpg", "dk-kite.jpg"].map { content.appendingPathComponent($0) }, into: "library")
        let root = LibraryIndexer.canonical(scratch.path + "/library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: renditions)
        _ = try indexer.run(roots: [root], previews: false)
        let library = try LiveLibrary(store: store, renditions: renditions, roots: [root])
        let server = ViewfinderServer(library: library, access: AccessPolicy(passwordHash: nil))
        let app = Application(router: try server.router(logRequests: .debug), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let dog = content.appendingPathComponent("dk-dog.jpg").path, copy = scratch.path + "/library/dog-small.jpg"

        try await app.test(.router) { client in
            func groups() async throws -> [[String]] {
                let answer = try await client.execute(uri: "/api/duplicates", method: .get).json()
                return try XCTUnwrap(answer["groups"] as? [[String: Any]]).map { group in
                    (group["photos"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "") }
                }
            }
            let first = try await groups()
            XCTAssertEqual(first, [], "two different photos are no duplicates")
            XCTAssertEqual(library.duplicates.groupings, 1)
            let again = try await groups()
            XCTAssertEqual(again, first)
            XCTAssertEqual(library.duplicates.groupings, 1, "asked again with nothing changed, the photos were grouped again")

            // A half-size copy of the dog, indexed while serving: the next answer groups it with its original.
            let made = try runProgram("/usr/bin/vips", ["resize", dog, copy + "[Q=85]", "0.5"])
            XCTAssertEqual(made.status, 0, made.stderr)
            _ = try indexer.run(roots: [root], previews: false)
            XCTAssertGreaterThan(try library.catchUp(), 0)
            let after = try await groups()
            XCTAssertEqual(after, [["dk-dog.jpg", "dog-small.jpg"]], "the original, larger, leads its near copy")
            XCTAssertEqual(library.duplicates.groupings, 2)
            _ = try await groups()
            XCTAssertEqual(library.duplicates.groupings, 2)
        }
    }
}
