import Foundation
import XCTest
import Catalogue
import PostgresCatalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// What every store must do alike: each test runs on a fresh embedded store and a fresh PostgreSQL one (the
/// tests' own server), and a failure names the store it happened on.
final class CatalogueContractTests: XCTestCase {
    var scratch: ScratchFolder!
    var store: PhotoStore!
    /// A second handle on the same catalogue, as another process would hold.
    var reopen: (() throws -> PhotoStore)!
    private var storeName = ""

    override func setUpWithError() throws { scratch = try ScratchFolder("store") }

    /// Runs `check` on an empty SQLite catalogue, then on an empty PostgreSQL one.
    func onEachStore(_ check: () throws -> Void) throws {
        let stores: [(String, () throws -> () throws -> PhotoStore)] = [
            ("SQLite", { let path = self.scratch.path + "/catalogue.sqlite"; return { try SQLiteStore(path: path) } }),
            ("PostgreSQL", { let url = try TemporaryPostgres.database(); return { try PostgresStore(url: url) } }),
        ]
        for (name, place) in stores {
            storeName = name
            reopen = try place()
            store = try reopen()
            try check()
        }
    }

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        super.recordFailure(withDescription: "[\(storeName)] \(description)", inFile: filePath, atLine: lineNumber, expected: expected)
    }

    override func tearDown() { scratch.remove() }

    func photo(_ path: String, hash: String = "aa", size: Int64 = 10) -> PhotoRecord {
        PhotoRecord(path: path, fileSize: size, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: hash),
                    metadata: PhotoMetadata(width: 4, height: 3, keywords: ["cat"], format: .jpeg), thumbhash: [1, 2],
                    indexedAt: 0)
    }

    /// A live claim as of each use: XCTest makes every test's instance at the start of the whole run.
    var me: JobClaim { JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600) }

    func claim(after: Int64 = 0, suspects: Bool = false, limit: Int = 100, _ claim: JobClaim? = nil) throws -> [JobRecord] {
        try store.claimJobs(.index, after: after, suspects: suspects, limit: limit, for: claim ?? me)
    }

    func finish(_ change: CatalogueChange, target: String = "/lib/x.jpg") throws {
        try store.enqueue([JobRecord(kind: .index, target: target)])
        let job = try XCTUnwrap(try claim().last)
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change)], owner: me.owner).applied, 1)
    }

    func testJobsAreQueuedOnceAndCrashSuspectsKeptApart() throws {
        try onEachStore {
            try store.enqueue([JobRecord(kind: .index, target: "/a"), JobRecord(kind: .index, target: "/a"),
                               JobRecord(kind: .index, target: "/b"), JobRecord(kind: .index, target: "/c")])
            XCTAssertEqual(try store.pendingJobCount(nil), 3)
            let all = try claim(limit: 10)
            XCTAssertEqual(all.map(\.target), ["/a", "/b", "/c"])
            try store.releaseClaims(owner: me.owner)
            XCTAssertEqual(try claim(after: all[0].id!, limit: 1).map(\.target), ["/b"])
            try store.releaseClaims(owner: me.owner)
            try store.recordCrash(jobIDs: [all[1].id!])
            XCTAssertEqual(try claim(limit: 10).map(\.target), ["/a", "/c"])
            let suspects = try claim(suspects: true, limit: 10)
            XCTAssertEqual(suspects.map(\.target), ["/b"])
            XCTAssertEqual(suspects.first?.crashes, 1)
        }
    }

    func testAClaimedJobGoesToOneProcessUntilItsLeaseLapses() throws {
        try onEachStore {
            try store.enqueue([JobRecord(kind: .index, target: "/a"), JobRecord(kind: .index, target: "/b")])
            let other = JobClaim(owner: "host/2/2", until: Date().timeIntervalSince1970 + 60)
            XCTAssertEqual(try claim(limit: 1).map(\.target), ["/a"])
            XCTAssertEqual(try claim(limit: 10, other).map(\.target), ["/b"], "the other process gets only what is free")
            XCTAssertEqual(try claim(limit: 10), [])
            XCTAssertEqual(Set(try store.claimOwners()), [me.owner, other.owner])
            // The other process dies: its lease lapses, and its job is claimed afresh.
            try store.renewClaims(JobClaim(owner: other.owner, until: Date().timeIntervalSince1970 - 1))
            let taken = try XCTUnwrap(try claim(limit: 10).first)
            XCTAssertEqual(taken.target, "/b")
            // Its late result is not applied: the job is ours now.
            let late = FinishedJob(job: taken, change: .photo(photo("/b"), warnings: [], needsPreview: false))
            XCTAssertEqual(try store.commit([late], owner: other.owner).applied, 0)
            XCTAssertNil(try store.photo(atPath: "/b"))
            XCTAssertEqual(try store.commit([late], owner: me.owner).applied, 1)
            XCTAssertNotNil(try store.photo(atPath: "/b"))
            XCTAssertEqual(try store.pendingJobCount(nil), 2, "/a, and the describe job /b queued")
            try store.releaseClaims(owner: me.owner)
            XCTAssertEqual(try claim(limit: 10, other).map(\.target), ["/a"], "released work is free for anyone")
        }
    }

    func testSomeClaimedJobsAreHandedBackByTheirOwnerAlone() throws {
        try onEachStore {
            try store.enqueue([JobRecord(kind: .index, target: "/a"), JobRecord(kind: .index, target: "/b")])
            let other = JobClaim(owner: "host/2/2", until: Date().timeIntervalSince1970 + 600)
            let mine = try claim(limit: 10)
            XCTAssertEqual(mine.map(\.target), ["/a", "/b"])
            try store.releaseJobs([mine[1].id!], owner: other.owner)
            XCTAssertEqual(try claim(limit: 10, other), [], "another process cannot hand back what it does not hold")
            try store.releaseJobs([mine[1].id!], owner: me.owner)
            XCTAssertEqual(try claim(limit: 10, other).map(\.target), ["/b"])
            XCTAssertEqual(try store.claimOwners().sorted(), [me.owner, other.owner].sorted(), "/a stays claimed")
        }
    }

    func testNewContentAtAPathOrphansTheOldContentOnly() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/a.jpg", hash: "11"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
            try finish(.photo(photo("/lib/b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/b.jpg")
            try finish(.photo(photo("/lib/c.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/c.jpg")
            func edit(_ path: String, to hash: String) throws -> [String] {
                try store.enqueue([JobRecord(kind: .index, target: path)])
                let job = try XCTUnwrap(try claim().last)
                return try store.commit([FinishedJob(job: job, change: .photo(photo(path, hash: hash), warnings: [], needsPreview: false))],
                                        owner: me.owner).orphans
            }
            XCTAssertEqual(try edit("/lib/a.jpg", to: "33"), ["11"], "an edited photo's old thumbnails can go")
            XCTAssertEqual(try edit("/lib/b.jpg", to: "44"), [], "c still holds 22")
            XCTAssertEqual(try edit("/lib/a.jpg", to: "33"), [], "unchanged content orphans nothing")
        }
    }

    func testTheSameMoveAppliedTwiceKeepsOneRow() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/old.jpg"), warnings: [], needsPreview: false))
            let id = try XCTUnwrap(try store.photo(atPath: "/lib/old.jpg")?.id)
            try store.setMissing(["/lib/old.jpg"], true)
            try finish(.moved(photoID: id, path: "/lib/new.jpg", fileSize: 10, modifiedAt: 2), target: "/lib/new.jpg")
            try finish(.moved(photoID: id, path: "/lib/new.jpg", fileSize: 10, modifiedAt: 2), target: "/lib/new.jpg")
            XCTAssertEqual(try store.photo(atPath: "/lib/new.jpg")?.id, id)
            XCTAssertEqual(try store.status().photos, 1)
        }
    }

    func testOfflinePhotosAreHiddenKeptAndComeBackWithTheirIds() throws {
        try onEachStore {
            try finish(.photo(photo("/nas/a.jpg", hash: "11"), warnings: [], needsPreview: false), target: "/nas/a.jpg")
            try finish(.photo(photo("/nas/b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/nas/b.jpg")
            let id = try XCTUnwrap(try store.photo(atPath: "/nas/a.jpg")?.id)
            let now = Date().timeIntervalSince1970
            try store.setOffline(["/nas/a.jpg", "/nas/b.jpg"], reason: "/nas is empty", since: now)
            XCTAssertEqual(try store.searchablePhotos().count, 0, "hidden from search")
            XCTAssertEqual(try store.status().offline, 2)
            XCTAssertEqual(try store.status().offlineReasons, ["/nas is empty": 2])
            XCTAssertEqual(try store.status().missing, 0)
            XCTAssertEqual(try store.removeMissing(under: ["/nas"], offlineBefore: now - 86_400).removed, 0, "inside the grace period")
            try store.setMissing(["/nas/a.jpg"], false)
            XCTAssertEqual(try store.photo(atPath: "/nas/a.jpg")?.id, id)
            XCTAssertEqual(try store.status().offline, 1)
            XCTAssertEqual(try store.removeMissing(under: ["/nas"], offlineBefore: now + 1).orphans, ["22"], "past the grace period")
            XCTAssertNotNil(try store.photo(atPath: "/nas/a.jpg"))
            try store.setOffline(["/nas/a.jpg"], reason: "gone again", since: now)
            XCTAssertEqual(try store.removeOffline().removed, 1)
            XCTAssertEqual(try store.status().photos + store.status().offline, 0)
        }
    }

    func testKnownFilesUnderAFolderWithAccentsAndOtherScripts() throws {
        try onEachStore {
            for path in ["/home/ana/Imágenes/a.jpg", "/home/ana/Imágenes/sub/b.jpg", "/home/ana/Imágenes2/c.jpg",
                         "/home/ana/写真/d.jpg", "/home/ana/Imágene/e.jpg"] {
                try finish(.photo(photo(path), warnings: [], needsPreview: false), target: path)
            }
            XCTAssertEqual(Set(try store.knownFiles(under: "/home/ana/Imágenes").keys),
                           ["/home/ana/Imágenes/a.jpg", "/home/ana/Imágenes/sub/b.jpg"])
            XCTAssertEqual(Set(try store.knownFiles(under: "/home/ana/写真/").keys), ["/home/ana/写真/d.jpg"])
            try store.setMissing(["/home/ana/Imágenes/a.jpg", "/home/ana/Imágenes2/c.jpg"], true)
            XCTAssertEqual(try store.removeMissing(under: ["/home/ana/Imágenes"], offlineBefore: 0).removed, 1)
            XCTAssertNotNil(try store.photo(atPath: "/home/ana/Imágenes2/c.jpg"), "a sibling folder is not below the root")
        }
    }

    func testCommitStoresThePhotoWarningsAndPreviewJobTogether() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/x.jpg"), warnings: [IndexProblem(.metadata, .warning, "maker note unreadable")],
                              needsPreview: true))
            XCTAssertNotNil(try store.photo(atPath: "/lib/x.jpg"))
            XCTAssertEqual(try store.problems(at: "/lib/x.jpg").map(\.reason), ["maker note unreadable"])
            XCTAssertEqual(try store.status().pendingJobs, ["preview": 1, "describe": 1],
                           "the index job is gone, the preview and describe jobs queued")
        }
    }

    func testNamedFaceRegionsAreKeptWithThePhoto() throws {
        try onEachStore {
            let faces = [NamedRegion(name: "Ada Lovelace", x: 0.4, y: 0.25, w: 0.2, h: 0.3),
                         NamedRegion(name: "Zoë", x: 0, y: 0.5, w: 0.125, h: 0.5)]
            let named = PhotoRecord(path: "/lib/x.jpg", fileSize: 10, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: "aa"),
                                    metadata: PhotoMetadata(width: 4, height: 3, regions: faces, format: .jpeg), thumbhash: nil, indexedAt: 0)
            try finish(.photo(named, warnings: [], needsPreview: false))
            try finish(.photo(photo("/lib/y.jpg", hash: "bb"), warnings: [], needsPreview: false), target: "/lib/y.jpg")
            XCTAssertEqual(try store.photo(atPath: "/lib/x.jpg")?.metadata.regions, faces)
            XCTAssertNil(try store.photo(atPath: "/lib/y.jpg")?.regions, "no regions, no JSON")
        }
    }

    func testAVideosLengthAndContentIdentifierAreKept() throws {
        try onEachStore {
            let clip = PhotoRecord(path: "/lib/clip.mov", fileSize: 10, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: "cc"),
                                   metadata: PhotoMetadata(width: 1920, height: 1080, format: .quicktime, duration: 12.345,
                                                           contentIdentifier: "7D9F6E2A-1B3C"), thumbhash: nil, indexedAt: 0)
            try finish(.photo(clip, warnings: [], needsPreview: false), target: "/lib/clip.mov")
            let stored = try XCTUnwrap(try store.photo(atPath: "/lib/clip.mov"))
            XCTAssertEqual(stored.metadata.format, .quicktime)
            XCTAssertEqual(stored.metadata.duration, 12.345)
            XCTAssertEqual(stored.metadata.contentIdentifier, "7D9F6E2A-1B3C")
            try finish(.photo(photo("/lib/y.jpg", hash: "bb"), warnings: [], needsPreview: false), target: "/lib/y.jpg")
            XCTAssertNil(try store.photo(atPath: "/lib/y.jpg")?.duration, "a photo has no length")
        }
    }

    func testStackIdentifiersAreKeptWithThePhotoAndSearchedFrom() throws {
        try onEachStore {
            let still = PhotoRecord(path: "/lib/IMG_1.HEIC", fileSize: 10, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: "aa"),
                                    metadata: PhotoMetadata(format: .heic, contentIdentifier: "570F1469", burstIdentifier: "B-1"),
                                    thumbhash: nil, indexedAt: 0)
            try finish(.photo(still, warnings: [], needsPreview: false), target: "/lib/IMG_1.HEIC")
            let kept = try XCTUnwrap(try store.photo(atPath: "/lib/IMG_1.HEIC"))
            XCTAssertEqual(kept.metadata.contentIdentifier, "570F1469")
            XCTAssertEqual(kept.metadata.burstIdentifier, "B-1")
            XCTAssertEqual(try store.searchablePhotos().first?.photo.contentIdentifier, "570F1469")
        }
    }

    func testPerceptualHashesAreKeptAndFilledInByContent() throws {
        try onEachStore {
            let looks = PerceptualHash(bits: 0x8000_0000_0000_0001)  // the top bit: a negative integer in the column
            var hashed = photo("/lib/x.jpg", hash: "aa")
            hashed.perceptualHash = looks.stored
            try finish(.photo(hashed, warnings: [], needsPreview: false))
            try finish(.photo(photo("/lib/y.jpg", hash: "bb"), warnings: [], needsPreview: false), target: "/lib/y.jpg")
            try finish(.photo(photo("/lib/z.jpg", hash: "bb"), warnings: [], needsPreview: false), target: "/lib/z.jpg")
            try finish(.photo(photo("/lib/w.jpg", hash: "cc"), warnings: [], needsPreview: false), target: "/lib/w.jpg")
            XCTAssertEqual(try store.photo(atPath: "/lib/x.jpg")?.looks, looks)
            XCTAssertEqual(try store.contentsWithoutPerceptualHash(after: "", limit: 10), ["bb", "cc"], "each content once, in order")
            XCTAssertEqual(try store.contentsWithoutPerceptualHash(after: "bb", limit: 10), ["cc"])
            try store.setPerceptualHashes(["bb": PerceptualHash(bits: 7)])
            XCTAssertEqual(try ["/lib/y.jpg", "/lib/z.jpg"].map { try store.photo(atPath: $0)?.looks }, [PerceptualHash(bits: 7), PerceptualHash(bits: 7)])
            XCTAssertEqual(try store.contentsWithoutPerceptualHash(after: "", limit: 10), ["cc"])
            try store.setMissing(["/lib/w.jpg"], true)
            XCTAssertEqual(try store.presentPhotos().map(\.path), ["/lib/x.jpg", "/lib/y.jpg", "/lib/z.jpg"], "present photos, by id")
        }
    }

    func testFailureReplacesAnEarlierPhotoAtThatPath() throws {
        try onEachStore {
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
    }

    func testMovedPhotoKeepsItsIdentity() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/old.jpg"), warnings: [], needsPreview: false))
            let id = try XCTUnwrap(try store.photo(atPath: "/lib/old.jpg")?.id)
            try store.setMissing(["/lib/old.jpg"], true)
            try finish(.moved(photoID: id, path: "/lib/new/old.jpg", fileSize: 10, modifiedAt: 2), target: "/lib/new/old.jpg")
            XCTAssertNil(try store.photo(atPath: "/lib/old.jpg"))
            XCTAssertEqual(try store.photo(atPath: "/lib/new/old.jpg")?.id, id)
            XCTAssertEqual(try store.removeMissing(under: ["/lib"], offlineBefore: 0).orphans, [])
        }
    }

    func testTwoCopiesOfOneMissingPhotoAreAMoveAndADuplicate() throws {
        try onEachStore {
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
    }

    func testRemovingMissingPhotosReportsOrphanedContentOnly() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/a.jpg", hash: "11"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
            try finish(.photo(photo("/lib/b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/b.jpg")
            try finish(.photo(photo("/lib/copy-of-b.jpg", hash: "22"), warnings: [], needsPreview: false), target: "/lib/copy-of-b.jpg")
            try finish(.photo(photo("/elsewhere/c.jpg", hash: "33"), warnings: [], needsPreview: false), target: "/elsewhere/c.jpg")
            XCTAssertEqual(try store.status().duplicates, 1)
            try store.setMissing(["/lib/a.jpg", "/lib/b.jpg", "/elsewhere/c.jpg"], true)
            XCTAssertEqual(try store.removeMissing(under: ["/lib"], offlineBefore: 0).orphans, ["11"], "b's content lives on in its copy")
            XCTAssertNil(try store.photo(atPath: "/lib/a.jpg"))
            XCTAssertNotNil(try store.photo(atPath: "/elsewhere/c.jpg"), "only the scanned roots are cleaned")
        }
    }

    func testKnownFilesStaysInsideTheRoot() throws {
        try onEachStore {
            try finish(.photo(photo("/lib/a.jpg"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
            try finish(.photo(photo("/library2/b.jpg"), warnings: [], needsPreview: false), target: "/library2/b.jpg")
            XCTAssertEqual(Set(try store.knownFiles(under: "/lib").keys), ["/lib/a.jpg"])
        }
    }

    func testSessionsAreKeptUntilTheyExpireAndANewOneNeverReplacesAnother() throws {
        try onEachStore {
            XCTAssertTrue(try store.storeSession(key: "a", value: [1, 2], expires: 100, onlyIfNew: true, now: 10))
            XCTAssertFalse(try store.storeSession(key: "a", value: [9], expires: 100, onlyIfNew: true, now: 10))
            XCTAssertEqual(try store.session(key: "a", now: 50)?.value, [1, 2])
            XCTAssertTrue(try store.storeSession(key: "a", value: [3], expires: nil, onlyIfNew: false, now: 10))
            XCTAssertEqual(try store.session(key: "a", now: 1e12)?.value, [3], "no expiry: kept")
            XCTAssertTrue(try store.storeSession(key: "b", value: [4], expires: 20, onlyIfNew: true, now: 10))
            XCTAssertNil(try store.session(key: "b", now: 21), "expired")
            try store.removeSession(key: "a")
            XCTAssertNil(try store.session(key: "a", now: 10))
        }
    }

    func testSearchFollowsDescriptionsVectorsAndRemovalsThroughTheChangeLog() throws {
        try onEachStore {
            let start = try store.changeMark()
            try finish(.photo(photo("/lib/a.jpg", hash: "a1"), warnings: [], needsPreview: false), target: "/lib/a.jpg")
            try finish(.photo(photo("/lib/b.jpg", hash: "b1"), warnings: [], needsPreview: false), target: "/lib/b.jpg")
            let a = try XCTUnwrap(try store.photo(atPath: "/lib/a.jpg")?.id), b = try XCTUnwrap(try store.photo(atPath: "/lib/b.jpg")?.id)
            let description = DescriptionRecord(photoID: a, contentHash: "a1", caption: "a dog", labels: "[]", text: "", faces: "[]",
                                                faceCount: 0, place: nil, models: "[]", describedAt: 1)
            try finish(.described(description, vectors: [VectorRecord(photoID: a, model: "m", values: [0.6, 0.8])], rewrite: nil,
                                  problem: nil), target: String(a))
            try finish(.gone(path: "/lib/b.jpg"), target: "/lib/b.jpg")

            let changed = try XCTUnwrap(try store.changes(after: start.seq, limit: 1000))
            XCTAssertEqual(Set(changed.photoIDs), [a, b])
            XCTAssertEqual(changed.through, try store.changeMark().seq)
            let found = try store.searchablePhotos(ids: [a, b])
            XCTAssertEqual(found.map(\.photo.id), [a], "a missing photo is gone from search")
            XCTAssertEqual(found.first?.description?.caption, "a dog")
            XCTAssertEqual(found.first?.vectors, [VectorRecord(photoID: a, model: "m", values: [0.6, 0.8])])
            XCTAssertEqual(try store.searchablePhotos().map(\.photo.path), ["/lib/a.jpg"])
            XCTAssertEqual(try store.vectors().map(\.photoID), [a])
            XCTAssertEqual(try store.changes(after: changed.through, limit: 1000)?.photoIDs, [], "nothing after the last")
        }
    }
}
