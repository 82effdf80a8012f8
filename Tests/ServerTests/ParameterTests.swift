import Foundation
import HummingbirdTesting
import Server
import XCTest

/// Every API parameter of any value gets an answer: a 400 that says what is wrong, never a trap.
final class ParameterTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testBadNumbersAreA400ThatNamesTheParameter() async throws {
        let dog = fixture.id("dk-dog.jpg")
        let refused = [
            ("/api/search?q=&cursor=-1", "cursor"), ("/api/search?q=&cursor=abc", "cursor"),
            ("/api/search?q=&cursor=9223372036854775807", "cursor"), ("/api/search?q=&cursor=99999999999999999999999", "cursor"),
            ("/api/search?q=dog&cursor=-1", "cursor"), ("/api/search?q=dog&cursor=9223372036854775807", "cursor"),
            ("/api/search?q=&limit=-1", "limit"), ("/api/search?q=&limit=0", "limit"), ("/api/search?q=dog&limit=x", "limit"),
            ("/api/search?q=dog&limit=9223372036854775807", "limit"), ("/api/search?q=dog&semantic=maybe", "semantic"), ("/api/search?q=dog&stacks=no", "stacks"),
            ("/api/folders?limit=-3", "limit"), ("/api/photos/\(dog)/similar?limit=1e9", "limit"),
        ]
        try await fixture.test { client in
            for (uri, parameter) in refused {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, .badRequest, uri)
                XCTAssertTrue(response.text.contains(parameter), "\(uri): \(response.text)")
            }
            let notANumber = try await client.execute(uri: "/api/photos/abc", method: .get)
            XCTAssertEqual(notANumber.status, .badRequest)
        }
    }

    func testACursorPastTheEndIsAnEmptyPage() async throws {
        try await fixture.test { client in
            for uri in ["/api/search?q=&cursor=2147483647&limit=200", "/api/search?q=dog&cursor=2147483647&limit=200"] {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, .ok, uri)
                XCTAssertEqual((try response.json()["hits"] as? [Any])?.count, 0, uri)
                XCTAssertNil(try response.json()["cursor"] as? String, uri)
            }
        }
    }
}
