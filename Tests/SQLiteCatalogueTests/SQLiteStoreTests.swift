import Foundation
import XCTest
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

final class SQLiteStoreTests: XCTestCase {
    private var scratch: ScratchFolder!
    private var store: SQLiteStore!

    override func setUpWithError() throws {
        scratch = try ScratchFolder("store")
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
    }

    override func tearDown() { scratch.remove() }

    private func photo(_ path: String, hash: String = "aa", size: Int64 = 10) -> PhotoRecord {
        PhotoRecord(path: path, fileSize: size, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: hash),
                    metadata: PhotoMetadata(width: 4, height: 3, keywords: ["cat"], format: .jpeg), thumbhash: [1, 2],
                    indexedAt: 0)
    }

    /// A live claim as of each use: XCTest makes every test's instance at the start of the whole run.
    private var me: JobClaim { JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600) }

    private func claim(after: Int64 = 0, suspects: Bool = false, limit: Int = 100, _ claim: JobClaim? = nil) throws -> [JobRecord] {
        try store.claimJobs(.index, after: after, suspects: suspects, limit: limit, for: claim ?? me)
    }

    private func finish(_ change: CatalogueChange, target: String = "/lib/x.jpg") throws {
        try store.enqueue([JobRecord(kind: .index, target: target)])
        let job = try XCTUnwrap(try claim().last)
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change)], owner: me.owner).applied, 1)
    }

    func testReopeningKeepsEverythingAndMigrationsAreIdempotent() throws {
        try finish(.photo(photo("/lib/a.jpg"), warnings: [], needsPreview: false))
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let loaded = try XCTUnwrap(try store.photo(atPath: "/lib/a.jpg"))
        XCTAssertEqual(loaded.metadata.keywords, ["cat"])
        XCTAssertEqual(loaded.metadata.width, 4)
    }

    /// Several processes (or threads) opening one new catalogue at once must not race to create its tables.
    func testOpeningANewCatalogueConcurrentlyMigratesOnce() throws {
        for round in 0..<5 {
            let path = scratch.path + "/fresh-\(round).sqlite"
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    _ = try SQLiteStore(path: path)
                    _ = try SQLiteRenditionStore(path: path + ".thumbnails")
                } catch {
                    failures.add("\(error)")
                }
            }
            XCTAssertEqual(failures.all, [])
        }
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages = [String]()

    func add(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
