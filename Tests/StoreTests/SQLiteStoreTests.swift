import Foundation
import XCTest
import Store
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

    private func finish(_ change: CatalogueChange, target: String = "/lib/x.jpg") throws {
        try store.enqueue([JobRecord(kind: .index, target: target)])
        let job = try XCTUnwrap(try store.jobs(.index, after: 0, suspects: false, limit: 100).last)
        try store.commit([FinishedJob(job: job, change: change)])
    }

    func testReopeningKeepsEverythingAndMigrationsAreIdempotent() throws {
        try finish(.photo(photo("/lib/a.jpg"), warnings: [], needsPreview: false))
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let loaded = try XCTUnwrap(try store.photo(atPath: "/lib/a.jpg"))
        XCTAssertEqual(loaded.metadata.keywords, ["cat"])
        XCTAssertEqual(loaded.metadata.width, 4)
    }

    func testJobsAreQueuedOnceAndCrashSuspectsKeptApart() throws {
        try store.enqueue([JobRecord(kind: .index, target: "/a"), JobRecord(kind: .index, target: "/a"),
                           JobRecord(kind: .index, target: "/b"), JobRecord(kind: .index, target: "/c")])
        XCTAssertEqual(try store.pendingJobCount(nil), 3)
        let all = try store.jobs(.index, after: 0, suspects: false, limit: 10)
        XCTAssertEqual(all.map(\.target), ["/a", "/b", "/c"])
        XCTAssertEqual(try store.jobs(.index, after: all[0].id!, suspects: false, limit: 1).map(\.target), ["/b"])
        try store.recordCrash(jobIDs: [all[1].id!])
        XCTAssertEqual(try store.jobs(.index, after: 0, suspects: false, limit: 10).map(\.target), ["/a", "/c"])
        let suspects = try store.jobs(.index, after: 0, suspects: true, limit: 10)
        XCTAssertEqual(suspects.map(\.target), ["/b"])
        XCTAssertEqual(suspects.first?.crashes, 1)
    }

    func testCommitStoresThePhotoWarningsAndPreviewJobTogether() throws {
        try finish(.photo(photo("/lib/x.jpg"), warnings: [IndexProblem(.metadata, .warning, "maker note unreadable")],
                          needsPreview: true))
        XCTAssertNotNil(try store.photo(atPath: "/lib/x.jpg"))
        XCTAssertEqual(try store.problems(at: "/lib/x.jpg").map(\.reason), ["maker note unreadable"])
        XCTAssertEqual(try store.status().pendingJobs, ["preview": 1, "describe": 1],
                       "the index job is gone, the preview and describe jobs queued")
    }

    func testFailureReplacesAnEarlierPhotoAtThatPath() throws {
        try finish(.photo(photo("/lib/x.jpg"), warnings: [], needsPreview: false))
        let problem = ProblemRecord(path: "/lib/x.jpg", fileSize: 3, modifiedAt: 9,
                                    problem: IndexProblem(.decode, "truncated"), recordedAt: 0)
        try finish(.failed(problem))
        XCTAssertNil(try store.photo(atPath: "/lib/x.jpg"))
        let known = try store.knownFiles(under: "/lib")
        XCTAssertEqual(known["/lib/x.jpg"]?.failed, true)
        XCTAssertEqual(known["/lib/x.jpg"]?.fileSize, 3, "an unchanged broken file is recognised by size and time")
        XCTAssertEqual(try store.status().errors, ["decode": 1])
    }

    func testMovedPhotoKeepsItsIdentity() throws {
        try finish(.photo(photo("/lib/old.jpg"), warnings: [], needsPreview: false))
        let id = try XCTUnwrap(try store.photo(atPath: "/lib/old.jpg")?.id)
        try store.setMissing(["/lib/old.jpg"], true)
        try finish(.moved(photoID: id, path: "/lib/new/old.jpg", fileSize: 10, modifiedAt: 2), target: "/lib/new/old.jpg")
        XCTAssertNil(try store.photo(atPath: "/lib/old.jpg"))
        XCTAssertEqual(try store.photo(atPath: "/lib/new/old.jpg")?.id, id)
        XCTAssertEqual(try store.removeMissing(under: ["/lib"]).orphans, [])
    }

    func testTwoCopiesOfOneMissingPhotoAreAMoveAndADuplicate() throws {
        try finish(.photo(photo("/lib/old.jpg"), warnings: [], needsPreview: false))
        let id = try XCTUnwrap(try store.photo(atPath: "/lib/old.jpg")?.id)
        try store.setMissing(["/lib/old.jpg"], true)
        try finish(.moved(photoID: id, path: "/lib/a/old.jpg", fileSize: 10, modifiedAt: 2), target: "/lib/a/old.jpg")
        try finish(.moved(photoID: id, path: "/lib/b/old.jpg", fileSize: 10, modifiedAt: 3), target: "/lib/b/old.jpg")
        XCTAssertEqual(try store.photo(atPath: "/lib/a/old.jpg")?.id, id, "the first copy keeps the row")
        let copy = try XCTUnwrap(try store.photo(atPath: "/lib/b/old.jpg"))
        XCTAssertNotEqual(copy.id, id)
        XCTAssertEqual(copy.metadata.keywords, ["cat"])
        XCTAssertEqual(try store.status().duplicates, 1)
    }

    func testRemovingMissingPhotosReportsOrphanedContentOnly() throws {
        try finish(.photo(photo("/lib/a.jpg", hash: "11"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
        try finish(.photo(photo("/lib/b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/b.jpg")
        try finish(.photo(photo("/lib/copy-of-b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/copy-of-b.jpg")
        try finish(.photo(photo("/elsewhere/c.jpg", hash: "33"), warnings: [], needsPreview: false), target: "/elsewhere/c.jpg")
        XCTAssertEqual(try store.status().duplicates, 1)
        try store.setMissing(["/lib/a.jpg", "/lib/b.jpg", "/elsewhere/c.jpg"], true)
        XCTAssertEqual(try store.removeMissing(under: ["/lib"]).orphans, ["11"], "b's content lives on in its copy")
        XCTAssertNil(try store.photo(atPath: "/lib/a.jpg"))
        XCTAssertNotNil(try store.photo(atPath: "/elsewhere/c.jpg"), "only the scanned roots are cleaned")
    }

    func testKnownFilesStaysInsideTheRoot() throws {
        try finish(.photo(photo("/lib/a.jpg"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
        try finish(.photo(photo("/library2/b.jpg"), warnings: [], needsPreview: false), target: "/library2/b.jpg")
        XCTAssertEqual(Set(try store.knownFiles(under: "/lib").keys), ["/lib/a.jpg"])
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
