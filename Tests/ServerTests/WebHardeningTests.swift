import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Server
import XCTest

private let password = "correct horse battery"
private let tokenHeader = HTTPField.Name("X-Viewfinder-Token")!
private let forwardedFor = HTTPField.Name("X-Forwarded-For")!
private let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

private func hostStatus(_ port: Int, host: String) async throws -> (HTTPResponse.Status, String) {
    try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
        let response = try await client.execute(.init("/api/status", method: .get, authority: host))
        return (response.status, response.body.map { String(buffer: $0) } ?? "")
    }
}

private func signIn(_ client: any TestClientProtocol, _ password: String, token: String, headers: HTTPFields = [:]) async throws -> TestResponse {
    var headers = headers
    headers[.contentType] = "application/json"
    headers[tokenHeader] = token
    return try await client.execute(uri: "/api/login", method: .post, headers: headers, body: ByteBuffer(string: #"{"password": "\#(password)"}"#))
}

private func sessionToken(_ client: any TestClientProtocol) async throws -> String {
    let session = try await client.execute(uri: "/api/session", method: .get).json()
    return try XCTUnwrap(session["token"] as? String)
}

/// DNS rebinding, parallel password guesses, a reverse proxy's headers.
final class WebHardeningTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testAPasswordLessLoopbackServerAnswersOnlyToItsOwnNames() async throws {
        let network = NetworkPolicy.serving(on: "127.0.0.1", access: AccessPolicy(passwordHash: nil), extraHosts: ["Photos.lan"], trustProxy: false)
        try await fixture.test(network: network, live: true) { client in
            let port = try XCTUnwrap(client.port)
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "LOCALHOST", "photos.lan:80"] {
                let (status, text) = try await hostStatus(port, host: host)
                XCTAssertEqual(status, .ok, "\(host): \(text)")
            }
            for host in ["evil.example:\(port)", "localhost.evil.example", "127.0.0.1.nip.io:\(port)"] {
                let (status, text) = try await hostStatus(port, host: host)
                XCTAssertEqual(status, .forbidden, host)
                XCTAssertTrue(text.contains("--allow-host"), text)
            }
        }
    }

    func testOnlyThePasswordLessLoopbackServerChecksTheHost() {
        XCTAssertNotNil(NetworkPolicy.serving(on: "127.0.0.1", access: AccessPolicy(passwordHash: nil), extraHosts: [], trustProxy: false).allowedHosts)
        let signedIn = AccessPolicy(passwordHash: "$2b$04$abcdefghijklmnopqrstuu5Ojk0u7n5PvBbrY6SgE7v2Rn4UjcJvS")
        XCTAssertNil(NetworkPolicy.serving(on: "127.0.0.1", access: signedIn, extraHosts: [], trustProxy: false).allowedHosts)
        XCTAssertNil(NetworkPolicy.serving(on: "0.0.0.0", access: signedIn, extraHosts: [], trustProxy: false).allowedHosts)
    }

    func testParallelWrongGuessesGetNoMoreTriesThanTheLimit() async throws {
        try await fixture.test(password: password) { client in
            let token = try await sessionToken(client)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await signIn(client, "guess", token: token).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.filter { $0 == .unauthorized }.count, 5, "\(statuses)")
            XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 7, "\(statuses)")
        }
    }

    func testPasswordChecksRunAFewAtATime() async {
        let checks = PasswordChecks(threads: 1)
        let gauge = Gauge()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask { await checks.check { gauge.enter(); Thread.sleep(forTimeInterval: 0.02); gauge.leave(); return false } }
            }
        }
        XCTAssertEqual(gauge.peak, 1)
    }

    func testBehindATrustedProxyHTTPSSessionsAreSecureAndTheForwardedAddressIsLimited() async throws {
        try await fixture.test(password: password, network: NetworkPolicy(trustProxy: true)) { client in
            let token = try await sessionToken(client)
            let right = try await signIn(client, password, token: token, headers: [forwardedProto: "https", forwardedFor: "203.0.113.9"])
            XCTAssertEqual(right.status, .noContent)
            XCTAssertTrue(right.headers[.setCookie]?.contains("; Secure") == true, right.headers[.setCookie] ?? "no cookie")
            for _ in 0..<5 {
                _ = try await signIn(client, "guess", token: token, headers: [forwardedFor: "198.51.100.1, 10.0.0.1"])
            }
            let limited = try await signIn(client, "guess", token: token, headers: [forwardedFor: "10.0.0.1"])
            XCTAssertEqual(limited.status, .tooManyRequests)
            // The client's own entries before the proxy's count for nothing.
            let other = try await signIn(client, "guess", token: token, headers: [forwardedFor: "10.0.0.1, 10.0.0.2"])
            XCTAssertEqual(other.status, .unauthorized)
        }
    }

    func testWithoutTrustProxyForwardedHeadersAreIgnored() async throws {
        try await fixture.test(password: password) { client in
            let token = try await sessionToken(client)
            let right = try await signIn(client, password, token: token, headers: [forwardedProto: "https"])
            XCTAssertEqual(right.status, .noContent)
            XCTAssertFalse(right.headers[.setCookie]?.contains("Secure") ?? true, right.headers[.setCookie] ?? "no cookie")
            for _ in 0..<5 {
                _ = try await signIn(client, "guess", token: token, headers: [forwardedFor: "10.0.0.1"])
            }
            let elsewhere = try await signIn(client, "guess", token: token, headers: [forwardedFor: "10.0.0.2"])
            XCTAssertEqual(elsewhere.status, .tooManyRequests)
        }
    }

}

/// How many callers are inside at once, at most.
private final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = 0
    private(set) var peak = 0
    func enter() { lock.withLock { inside += 1; peak = max(peak, inside) } }
    func leave() { lock.withLock { inside -= 1 } }
}
