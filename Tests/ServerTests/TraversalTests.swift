import Foundation
import Hummingbird
import HummingbirdTesting
import Indexer
import Server
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
        let outside = fixture.scratch.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.root + "/2019/dk-dog.jpg", toPath: outside + "/private.jpg")
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/escape", withDestinationPath: outside)
        _ = try LibraryIndexer(store: fixture.library.store, renditions: fixture.library.renditions).run(roots: [fixture.root])
        try fixture.library.reload()
        let escaped = fixture.library.snapshot.photos.values.filter { $0.path.contains("private") }
        try await fixture.test { client in
            for entry in escaped {
                // Catalogued through the link or not, the file behind it is never served by that path.
                let response = try await client.execute(uri: "/original/\(entry.id)", method: .get)
                XCTAssertEqual(response.status, .notFound, entry.path)
            }
        }
    }
}
