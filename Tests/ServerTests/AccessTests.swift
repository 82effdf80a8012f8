import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import XCTest

private let password = "correct horse battery"

private func token(_ client: any TestClientProtocol, cookie: String? = nil) async throws -> String {
    let session = try await client.execute(uri: "/api/session", method: .get, headers: cookie.map { [.cookie: $0] } ?? [:]).json()
    return try XCTUnwrap(session["token"] as? String)
}

private func signIn(_ client: any TestClientProtocol, _ password: String, token: String) async throws -> TestResponse {
    try await client.execute(uri: "/api/login", method: .post,
                             headers: [.contentType: "application/json", HTTPField.Name("X-Viewfinder-Token")!: token],
                             body: ByteBuffer(string: #"{"password": "\#(password)"}"#))
}

/// Beyond loopback: a password, an HttpOnly SameSite session, rate-limited sign-in, and no state change
/// without the page's token.
final class AccessTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testEverythingButSignInNeedsASession() async throws {
        try await fixture.test(password: password) { client in
            for uri in ["/api/search?q=dog", "/api/photos/1", "/thumb/1", "/original/1", "/api/status", "/api/timeline"] {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, .unauthorized, uri)
            }
            let page = try await client.execute(uri: "/timeline", method: .get)
            XCTAssertEqual(page.status, .seeOther)
            XCTAssertEqual(page.headers[.location], "/login?next=%2Ftimeline")
            let session = try await client.execute(uri: "/api/session", method: .get).json()
            XCTAssertEqual(session["signInRequired"] as? Bool, true)
            XCTAssertEqual(session["signedIn"] as? Bool, false)
            let login = try await client.execute(uri: "/login", method: .get)
            XCTAssertEqual(login.status, .ok)
        }
    }

    func testSignInGivesAnHttpOnlySameSiteSessionAndSignOutNeedsItsToken() async throws {
        try await fixture.test(password: password) { client in
            let pageToken = try await token(client)
            let wrong = try await signIn(client, "guess", token: pageToken)
            XCTAssertEqual(wrong.status, .unauthorized)
            let right = try await signIn(client, password, token: pageToken)
            XCTAssertEqual(right.status, .noContent)
            let setCookie = try XCTUnwrap(right.headers[.setCookie])
            XCTAssertTrue(setCookie.contains("HttpOnly"), setCookie)
            XCTAssertTrue(setCookie.contains("SameSite=Strict"), setCookie)
            let cookie = String(setCookie.prefix { $0 != ";" })
            let search = try await client.execute(uri: "/api/search?q=dog", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(search.status, .ok)

            let sessionToken = try await token(client, cookie: cookie)
            XCTAssertNotEqual(sessionToken, pageToken)
            let forged = try await client.execute(uri: "/api/logout", method: .post, headers: [.cookie: cookie])
            XCTAssertEqual(forged.status, .forbidden)
            let stale = try await client.execute(uri: "/api/logout", method: .post,
                                                 headers: [.cookie: cookie, HTTPField.Name("X-Viewfinder-Token")!: pageToken])
            XCTAssertEqual(stale.status, .forbidden)
            let out = try await client.execute(uri: "/api/logout", method: .post,
                                               headers: [.cookie: cookie, HTTPField.Name("X-Viewfinder-Token")!: sessionToken])
            XCTAssertEqual(out.status, .noContent)
            let after = try await client.execute(uri: "/api/search?q=dog", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(after.status, .unauthorized)
        }
    }

    /// Sessions live in the catalogue: a restarted server, or another server on the same catalogue, knows them.
    func testASessionOutlivesTheServerThatMadeIt() async throws {
        let cookie = Cookie()
        try await fixture.test(password: password) { client in
            let right = try await signIn(client, password, token: try await token(client))
            cookie.value = String(try XCTUnwrap(right.headers[.setCookie]).prefix { $0 != ";" })
        }
        try await fixture.test(password: password) { client in
            let search = try await client.execute(uri: "/api/search?q=dog", method: .get, headers: [.cookie: cookie.value])
            XCTAssertEqual(search.status, .ok, "the second server did not know the session")
            let stranger = try await client.execute(uri: "/api/search?q=dog", method: .get,
                                                    headers: [.cookie: "viewfinder_session=\(UUID().uuidString)"])
            XCTAssertEqual(stranger.status, .unauthorized)
        }
    }

    func testSignInWithoutThePageTokenOrFromAnotherSiteIsRefused() async throws {
        try await fixture.test(password: password) { client in
            let noToken = try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"password": "\#(password)"}"#))
            XCTAssertEqual(noToken.status, .forbidden)
            let token = try await token(client)
            let crossSite = try await client.execute(
                uri: "/api/login", method: .post,
                headers: [.contentType: "application/json", .origin: "http://evil.example", HTTPField.Name("X-Viewfinder-Token")!: token],
                body: ByteBuffer(string: #"{"password": "\#(password)"}"#))
            XCTAssertEqual(crossSite.status, .forbidden)
        }
    }

    func testWrongPasswordsAreRateLimited() async throws {
        try await fixture.test(password: password) { client in
            let token = try await token(client)
            for _ in 0..<5 {
                let wrong = try await signIn(client, "guess", token: token)
                XCTAssertEqual(wrong.status, .unauthorized)
            }
            let limited = try await signIn(client, password, token: token)
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertNotNil(limited.headers[.retryAfter])
        }
    }

    func testTheStoredPasswordIsAHashAndLoadsBack() throws {
        let folder = fixture.scratch.path + "/data"
        try AccessPolicy.store(password: password, dataFolder: folder)
        let text = try String(contentsOfFile: folder + "/server.json", encoding: .utf8)
        XCTAssertFalse(text.contains(password))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/server.json")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let policy = try AccessPolicy.load(dataFolder: folder, environment: [:])
        XCTAssertTrue(policy.verify(password))
        XCTAssertFalse(policy.verify("guess"))
        XCTAssertTrue(try AccessPolicy.load(dataFolder: folder, environment: ["VIEWFINDER_PASSWORD": "other one"]).verify("other one"))
    }
}

private final class Cookie: @unchecked Sendable {
    var value = ""
}
