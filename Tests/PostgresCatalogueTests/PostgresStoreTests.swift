import Catalogue
import Foundation
import PostgresCatalogue
import TestSupport
import ViewfinderCore
import XCTest

/// What only the PostgreSQL store does: several processes starting on one new database, the URL, announced
/// changes and a change log several servers share.
final class PostgresStoreTests: XCTestCase {
    private func photo(_ path: String) -> PhotoRecord {
        PhotoRecord(path: path, fileSize: 1, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: "ab"),
                    metadata: PhotoMetadata(width: 4, height: 3, format: .jpeg), thumbhash: nil, indexedAt: 0)
    }

    private func add(_ path: String, to store: PostgresStore) throws {
        let me = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 60)
        try store.enqueue([JobRecord(kind: .index, target: path)])
        let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 10, for: me).last)
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: .photo(photo(path), warnings: [], needsPreview: false))],
                                        owner: me.owner).applied, 1)
    }

    func testSeveralProcessesOpeningANewDatabaseMigrateItOnce() throws {
        let url = try TemporaryPostgres.database()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try PostgresStore(url: url, connections: 1) } catch { failures.add("\(error)") }
        }
        XCTAssertEqual(failures.all, [])
        let store = try PostgresStore(url: url)
        XCTAssertFalse(try store.changeMark().catalogue.isEmpty, "the catalogue has its identity")
    }

    func testAURLThatIsNotPostgreSQLSaysWhatIsWrong() {
        for (url, reason) in [("sqlite:///tmp/x", "expected postgresql://"), ("postgresql://me:secret@db.lan/", "names no database"),
                              ("postgresql:///viewfinder", "names no host"),
                              ("postgresql://me@db.lan/photos?sslmode=maybe", "sslmode 'maybe'")] {
            XCTAssertThrowsError(try PostgresAddress(url)) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(url): \(error)")
                XCTAssertFalse("\(error)".contains("secret"), "a password in a message: \(error)")
            }
        }
        XCTAssertEqual(try PostgresAddress("postgresql://me:secret@db.lan:5433/photos").display, "postgresql://me@db.lan:5433/photos",
                       "the password never shows in messages")
    }

    func testAnUnreachableServerIsAStoreFailureInWords() {
        XCTAssertThrowsError(try PostgresStore(url: "postgresql://nobody@127.0.0.1:\(freePort())/none")) { error in
            XCTAssertTrue(error is StoreFailure, "\(error)")
            XCTAssertTrue("\(error)".contains("cannot connect"), "\(error)")
        }
    }

    func testConnectionsOverTCPProbeTheServerSoAVanishedOneIsNoticed() throws {
        let url = try TemporaryPostgres.database()
        let port = try XCTUnwrap(URLComponents(string: url)?.port)
        let store = try PostgresStore(url: url)
        try add("/lib/a.jpg", to: store)
        Thread.sleep(forTimeInterval: 0.5)  // past any delayed acknowledgement's timer
        // /proc/net/tcp: our end of each connection to the server, and its timer (2: keepalive) with the ticks left.
        // Read to the end: a /proc file reports no size, and a read sized by it can stop after the first page.
        let table = String(decoding: try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/net/tcp")).readToEnd() ?? Data(), as: UTF8.self)
        let server = String(format: ":%04X", port)
        let sockets: [[Substring]] = table.split(separator: "\n").dropFirst().map { $0.split(separator: " ") }
        let ours = sockets.filter { $0.count > 5 && $0[2].hasSuffix(server) && $0[3] == "01" }
        XCTAssertFalse(ours.isEmpty, "no connection to port \(port) found")
        for socket in ours {
            XCTAssertEqual(socket[5].split(separator: ":").first, "02", "a connection without keepalive: \(socket.joined(separator: " "))")
        }
    }

    func testAFollowerIsWokenByAChangeAnotherProcessCommits() throws {
        let url = try TemporaryPostgres.database()
        let follower = try PostgresStore(url: url), writer = try PostgresStore(url: url)
        follower.waitForChange(upTo: 5)  // the first wait starts listening and reports what came before
        let woken = expectation(description: "woken by the commit")
        let started = Date()
        DispatchQueue.global().async {
            follower.waitForChange(upTo: 30)
            woken.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.3)
        try add("/lib/a.jpg", to: writer)
        wait(for: [woken], timeout: 30)
        XCTAssertLessThan(Date().timeIntervalSince(started), 29, "woken by the notification, not by the timeout")
        XCTAssertEqual(try follower.changes(after: 0, limit: 100)?.photoIDs.count, 1)
    }

    func testRecentChangesOutliveAServerForgettingThemSoOthersCanCatchUp() throws {
        let url = try TemporaryPostgres.database()
        let store = try PostgresStore(url: url)
        try add("/lib/a.jpg", to: store)
        let mark = try store.changeMark()
        XCTAssertGreaterThan(mark.seq, 0)
        try store.forgetChanges(through: mark.seq)
        XCTAssertEqual(try store.changes(after: 0, limit: 100)?.photoIDs.count, 1, "another server still at 0 catches up")

        // Changes older than the store keeps them are forgotten: a server that was further behind reads everything.
        let forgetful = try PostgresStore(url: url, changesKeptFor: 0)
        try forgetful.forgetChanges(through: mark.seq)
        XCTAssertNil(try forgetful.changes(after: 0, limit: 100), "what was forgotten is known to be missing")
        XCTAssertEqual(try forgetful.changes(after: mark.seq, limit: 100)?.photoIDs, [], "a server that saw it all goes on")
        XCTAssertEqual(try forgetful.changeMark().seq, mark.seq, "the mark survives an empty log")
        try add("/lib/b.jpg", to: forgetful)
        XCTAssertEqual(try forgetful.changes(after: mark.seq, limit: 100)?.photoIDs.count, 1)
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages = [String]()

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
