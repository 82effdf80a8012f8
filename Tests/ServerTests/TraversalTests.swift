import Foundation
import Hummingbird
import HummingbirdTesting
import Indexer
import Server
import TestSupport
import XCTest

/// No path from a request reaches the file system: pictures are addressed by id, and a recorded path that
/// has become a way out of the library is refused.
final class TraversalTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testEncodedDotsAndAbsolutePathsNeverReachAFile() async throws {
        let attempts = [
            "/thumb/..%2F..%2F..%2Fetc%2Fpasswd", "/original/%2Fetc%2Fpasswd", "/original/..%2Fcatalogue.sqlite",
            "/preview/1%2F..%2F..%2Fetc%2Fpasswd", "/assets/..%2F..%2F..%2FPackage.swift", "/assets/%2E%2E/%2E%2E/Package.swift",
            "/assets/../../Package.swift", "/original//etc/passwd", "/original/1/../../etc/passwd", "/api/photos/..%2F1",
            "/assets/%252e%252e%252fPackage.swift",
        ]
        try await fixture.test { client in
            for uri in attempts {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertTrue([.notFound, .badRequest].contains(response.status), "\(uri): \(response.status)")
                XCTAssertFalse(response.text.contains("root:"), uri)
                XCTAssertFalse(response.text.contains("PackageDescription"), uri)
            }
        }
    }

    func testAPhotoReplacedByASymlinkOutOfTheLibraryIsRefused() async throws {
        let dog = fixture.id("dk-dog.jpg")
        let outside = fixture.scratch.path + "/outside-secret.jpg"
        try Data("not yours".utf8).write(to: URL(fileURLWithPath: outside))
        let photo = fixture.root + "/2019/dk-dog.jpg"
        try FileManager.default.removeItem(atPath: photo)
        try FileManager.default.createSymbolicLink(atPath: photo, withDestinationPath: outside)
        try await fixture.test { client in
            let response = try await client.execute(uri: "/original/\(dog)", method: .get)
            XCTAssertEqual(response.status, .notFound)
            XCTAssertFalse(response.text.contains("not yours"))
        }
    }

    func testAFolderSymlinkedOutOfTheLibraryIsNotServed() async throws {
        // Catalogued while the folder was inside; then the folder moves out and a link takes its place.
        let inside = fixture.root + "/escape", outside = fixture.scratch.path + "/outside"
        try FileManager.default.createDirectory(atPath: inside, withIntermediateDirectories: true)
        let kite = try XCTUnwrap(Corpus.folder("content").url).appendingPathComponent("dk-kite.jpg")
        try FileManager.default.copyItem(atPath: kite.path, toPath: inside + "/private.jpg")
        _ = try LibraryIndexer(store: fixture.library.store, renditions: fixture.library.renditions).run(roots: [fixture.root])
        try fixture.library.reload()
        try FileManager.default.moveItem(atPath: inside, toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: inside, withDestinationPath: outside)
        let escaped = try XCTUnwrap(fixture.library.snapshot.photos.values.first { $0.path == "escape/private.jpg" },
                                    "the photo in the folder was catalogued")
        try await fixture.test { client in
            let response = try await client.execute(uri: "/original/\(escaped.id)", method: .get)
            XCTAssertEqual(response.status, .notFound)
            let page = try await client.execute(uri: "/api/photos/\(escaped.id)", method: .get).json()
            XCTAssertEqual((page["exif"] as? [Any])?.count, 0, "nor is its EXIF read through the link")
        }
    }
}
