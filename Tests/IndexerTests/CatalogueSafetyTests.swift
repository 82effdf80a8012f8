import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// A share that is not mounted, a folder that cannot be listed, a library in another script: the catalogue
/// loses nothing, and what comes back costs no file read.
final class CatalogueSafetyTests: XCTestCase {
    private var scratch: ScratchFolder!
    private var store: SQLiteStore!
    private var indexer: LibraryIndexer!

    override func setUpWithError() throws {
        scratch = try ScratchFolder("safety")
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        indexer = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite"))
    }

    override func tearDown() {
        _ = try? runProgram("/bin/rm", ["-rf", scratch.path])  // rm takes paths longer than PATH_MAX
    }

    private func content(_ names: [String]) throws -> [URL] {
        let (folder, reason) = Corpus.folder("content")
        guard let folder else { throw XCTSkip(reason) }
        return names.map { folder.appendingPathComponent($0) }
    }

    private func ids(under root: String) throws -> [String: Int64] {
        try store.knownFiles(under: root).keys.reduce(into: [:]) { ids, path in ids[path] = try store.photo(atPath: path)?.id }
    }

    func testAnEmptiedRootIsOfflineNotRemovedAndComesBackUnread() throws {
        let root = scratch.path + "/nas"
        try scratch.copy(try content(["dk-dog.jpg", "pil-hopper.jpg", "ski-coffee.png"]), into: "nas/2019")
        let first = try indexer.run(roots: [root])
        XCTAssertEqual(first.indexed, 3)
        let before = try ids(under: LibraryIndexer.canonical(root))
        // The share is unmounted: its mount point is an empty folder.
        try FileManager.default.moveItem(atPath: root, toPath: scratch.path + "/elsewhere")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        let unmounted = try indexer.run(roots: [root])
        XCTAssertEqual(unmounted.removed, 0)
        XCTAssertEqual(unmounted.offline, 3)
        XCTAssertTrue(unmounted.offlineReasons.first?.contains("is empty") ?? false, "\(unmounted.offlineReasons)")
        XCTAssertEqual(try store.status().offline, 3)
        XCTAssertEqual(try store.searchablePhotos().count, 0, "offline photos are hidden from search")
        XCTAssertEqual(try store.status().described + store.pendingJobCount(.describe), 3, "their descriptions stay owed or kept")
        // Mounted again: the same ids, and not one file opened.
        try FileManager.default.removeItem(atPath: root)
        try FileManager.default.moveItem(atPath: scratch.path + "/elsewhere", toPath: root)
        let back = try indexer.run(roots: [root])
        XCTAssertEqual(back.queued, 0)
        XCTAssertEqual(back.unchanged, 3)
        XCTAssertEqual(try ids(under: LibraryIndexer.canonical(root)), before)
        XCTAssertEqual(try store.status().offline, 0)
        XCTAssertEqual(try store.searchablePhotos().count, 3)
    }

    func testAMissingRootRemovesNothingAndSaysSo() throws {
        let root = scratch.path + "/nas"
        try scratch.copy(try content(["dk-dog.jpg", "pil-hopper.jpg"]), into: "nas")
        let canonical = LibraryIndexer.canonical(root)
        XCTAssertEqual(try indexer.run(roots: [root]).indexed, 2)
        try FileManager.default.moveItem(atPath: root, toPath: scratch.path + "/elsewhere")
        let summary = try indexer.run(roots: [canonical])
        XCTAssertEqual(summary.removed, 0)
        XCTAssertEqual(summary.unreadableFolders.count, 1)
        XCTAssertTrue(summary.unreadableFolders[0].hasPrefix(canonical + ": "), "\(summary.unreadableFolders)")
        XCTAssertEqual(try store.status().photos, 2, "a root that cannot be read is not taken as emptied")
    }

    func testPhotosBelowAFolderThatCannotBeListedAreKept() throws {
        let root = scratch.path + "/library"
        try scratch.copy(try content(["dk-dog.jpg"]), into: "library")
        // A tree deeper than PATH_MAX: opendir fails below it even for root (permissions would not stop root).
        let component = String(repeating: "d", count: 200)
        let made = try runProgram("/bin/bash", ["-c", "cd \"$1\" && for i in $(seq 1 24); do mkdir \"$2\" && cd \"$2\" || exit 1; done",
                                               "_", root, component])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(try indexer.run(roots: [root]).indexed, 1)
        let canonical = LibraryIndexer.canonical(root)
        let deep = canonical + String(repeating: "/" + component, count: 24) + "/IMG_0001.JPG"
        // A photo the catalogue knows from when its folder could still be read.
        let known = try XCTUnwrap(try store.photo(atPath: canonical + "/dk-dog.jpg"))
        var twin = known
        twin.id = nil
        twin.path = deep
        try store.enqueue([JobRecord(kind: .index, target: deep)])
        let claim = JobClaim(owner: "test", until: Date().timeIntervalSince1970 + 60)
        let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 10, for: claim).first)
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: .photo(twin, warnings: [], needsPreview: false))],
                                        owner: claim.owner).applied, 1)
        try store.releaseClaims(owner: claim.owner)

        let summary = try indexer.run(roots: [root])
        XCTAssertFalse(summary.unreadableFolders.isEmpty, "the deep folder could not be listed")
        XCTAssertEqual(summary.removed, 0)
        XCTAssertEqual(try store.photo(atPath: deep)?.missing, false, "not taken as deleted")
    }

    func testManyPhotosVanishingAtOnceGoOfflineAndFewAreRemoved() throws {
        let root = scratch.path + "/library"
        let photo = try content(["pil-hopper.jpg"])[0]
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/b", withIntermediateDirectories: true)
        for number in 0..<130 {
            try FileManager.default.copyItem(atPath: photo.path, toPath: root + (number < 110 ? "/a" : "/b") + "/\(number).jpg")
        }
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).indexed, 130)
        // 110 of 130 gone in one scan (a sub-share not mounted): offline, not deleted.
        try FileManager.default.moveItem(atPath: root + "/a", toPath: scratch.path + "/a-away")
        let summary = try indexer.run(roots: [root], previews: false)
        XCTAssertEqual(summary.removed, 0)
        XCTAssertEqual(summary.offline, 110)
        XCTAssertTrue(summary.offlineReasons.first?.contains("110 of 130") ?? false, "\(summary.offlineReasons)")
        XCTAssertEqual(try store.status().photos, 20)
        try FileManager.default.moveItem(atPath: scratch.path + "/a-away", toPath: root + "/a")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).queued, 0)
        XCTAssertEqual(try store.status().photos, 130)
        // A few deletions are deletions.
        for number in 110..<115 { try FileManager.default.removeItem(atPath: root + "/b/\(number).jpg") }
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).removed, 5)
        XCTAssertEqual(try store.status().offline, 0)
    }

    func testOfflinePhotosAreRemovedAfterTheGracePeriod() throws {
        let root = scratch.path + "/nas"
        try scratch.copy(try content(["dk-dog.jpg"]), into: "nas")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).indexed, 1)
        try FileManager.default.removeItem(atPath: root + "/dk-dog.jpg")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).offline, 1)
        let impatient = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite"),
                                       offlineGrace: 0)
        XCTAssertEqual(try impatient.run(roots: [root], previews: false).removed, 1)
        XCTAssertEqual(try store.status().offline, 0)
    }

    func testNamesThatAreNotUTF8AreIndexedWithTheirBytesAndRescannedByStat() throws {
        let root = scratch.path + "/library"
        let photo = try content(["dk-dog.jpg"])[0]
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // "Fotos/café.jpg" as an old system wrote it, in Latin-1: 0xE9 alone is not UTF-8.
        let folder = Array((LibraryIndexer.canonical(root) + "/Fot").utf8) + [0xF3]
        let file = folder + Array("/caf".utf8) + [0xE9] + Array(".jpg".utf8)
        XCTAssertEqual((folder + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }, 0)
        let made = (file + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        XCTAssertGreaterThanOrEqual(made, 0)
        let bytes = try [UInt8](Data(contentsOf: photo))
        XCTAssertEqual(bytes.withUnsafeBytes { write(made, $0.baseAddress!, bytes.count) }, bytes.count)
        close(made)

        let first = try indexer.run(roots: [root], previews: false)
        XCTAssertEqual(first.indexed, 1)
        XCTAssertEqual(first.unreadableFolders, [])
        let known = try XCTUnwrap(try store.knownFiles(under: LibraryIndexer.canonical(root)).keys.first)
        XCTAssertEqual(FileSystemPath.bytes(known), file, "the catalogue keeps the name's bytes")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).queued, 0, "a rescan opens nothing")
        XCTAssertEqual((file + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { unlink($0.baseAddress!) } }, 0)
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).offline, 1, "its root is empty now: kept offline")
    }

    func testALibraryNamedInAnotherScriptRescansWithoutOpeningAFile() throws {
        let root = scratch.path + "/Imágenes de 写真"
        let files = try scratch.copy(try content(["dk-dog.jpg", "pil-hopper.jpg"]), into: "Imágenes de 写真/día 1")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).indexed, 2)
        let again = try indexer.run(roots: [root], previews: false)
        XCTAssertEqual(again.queued, 0, "every known file was recognised by its stat")
        XCTAssertEqual(again.unchanged, 2)
        try FileManager.default.removeItem(at: files[0])
        XCTAssertEqual(try indexer.run(roots: [root], previews: false).removed, 1)
        XCTAssertEqual(try store.status().photos, 1)
    }
}
