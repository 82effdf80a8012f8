import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore
import Vision

final class LibraryIndexerTests: XCTestCase {
    private var scratch: ScratchFolder!
    private var store: SQLiteStore!
    private var renditions: SQLiteRenditionStore!
    private var indexer: LibraryIndexer!
    private var library: String { scratch.path + "/library" }

    override func setUpWithError() throws {
        scratch = try ScratchFolder("indexer")
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        indexer = LibraryIndexer(store: store, renditions: renditions)
    }

    override func tearDown() { scratch.remove() }

    /// A small library of real photos: a few content photos in two folders.
    private func makeLibrary() throws -> [URL] {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let pick = ["dk-dog.jpg", "pil-hopper.jpg", "ski-coffee.png", "es-samplefilehub.heif"]
        let first = try scratch.copy(pick.prefix(2).map { content.appendingPathComponent($0) }, into: "library/2019")
        let second = try scratch.copy(pick.suffix(2).map { content.appendingPathComponent($0) }, into: "library/2020/trip")
        return first + second
    }

    private func reindex() throws -> IndexSummary { try indexer.run(roots: [library]) }

    private func path(_ url: URL) -> String { LibraryIndexer.canonical(url.path) }

    func testFirstRunIndexesEverythingAndARescanReadsNothing() throws {
        let files = try makeLibrary()
        let first = try reindex()
        XCTAssertEqual(first.indexed, files.count)
        XCTAssertEqual(first.failed, 0)
        XCTAssertEqual(first.previews, files.count)
        for file in files {
            let photo = try XCTUnwrap(try store.photo(atPath: path(file)), file.lastPathComponent)
            XCTAssertTrue(try renditions.contains(hash: photo.contentHash, kind: .thumbnail))
            XCTAssertTrue(try renditions.contains(hash: photo.contentHash, kind: .preview))
            XCTAssertNotNil(photo.thumbhash)
        }
        let again = try reindex()
        XCTAssertEqual(again.queued, 0, "an unchanged library queues no job, so no file is opened")
        XCTAssertEqual(again.unchanged, files.count)
        XCTAssertEqual(again.indexed, 0)
    }

    func testMovedFileKeepsItsRowAndRecomputesNothing() throws {
        let files = try makeLibrary()
        _ = try reindex()
        let before = try XCTUnwrap(try store.photo(atPath: path(files[0])))
        let destination = URL(fileURLWithPath: library + "/renamed/best dog.jpg")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: files[0], to: destination)
        let summary = try reindex()
        XCTAssertEqual(summary.moved, 1)
        XCTAssertEqual(summary.indexed, 0)
        XCTAssertEqual(summary.removed, 0)
        let after = try XCTUnwrap(try store.photo(atPath: path(destination)))
        XCTAssertEqual(after.id, before.id)
        XCTAssertEqual(after.indexedAt, before.indexedAt, "nothing was recomputed")
        XCTAssertNil(try store.photo(atPath: path(files[0])))
    }

    func testDuplicatesShareThumbnailsAndDeletionCleansUp() throws {
        let files = try makeLibrary()
        _ = try reindex()
        let copy = URL(fileURLWithPath: library + "/2019/copy.jpg")
        try FileManager.default.copyItem(at: files[0], to: copy)
        let summary = try reindex()
        XCTAssertEqual(summary.indexed, 1)
        XCTAssertEqual(try store.status().duplicates, 1)
        let hash = try XCTUnwrap(try store.photo(atPath: path(copy))?.contentHash)
        XCTAssertEqual(try store.photos(withContentHash: hash).count, 2)

        try FileManager.default.removeItem(at: files[0])
        XCTAssertEqual(try reindex().removed, 1)
        XCTAssertTrue(try renditions.contains(hash: hash, kind: .thumbnail), "the copy still needs it")
        try FileManager.default.removeItem(at: copy)
        XCTAssertEqual(try reindex().removed, 1)
        XCTAssertFalse(try renditions.contains(hash: hash, kind: .thumbnail), "orphaned thumbnails go")
        XCTAssertFalse(try renditions.contains(hash: hash, kind: .preview))
    }

    func testChangedContentAndTouchedFiles() throws {
        let files = try makeLibrary()
        _ = try reindex()
        // Same bytes, new time: only the stat is updated.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)],
                                              ofItemAtPath: files[1].path)
        let touched = try reindex()
        XCTAssertEqual(touched.touched, 1)
        XCTAssertEqual(touched.indexed, 0)
        // New bytes at the same path: read again, new hash.
        let oldHash = try XCTUnwrap(try store.photo(atPath: path(files[1]))?.contentHash)
        try FileManager.default.removeItem(at: files[1])
        try FileManager.default.copyItem(at: files[0], to: files[1])
        XCTAssertEqual(try reindex().indexed, 1)
        XCTAssertNotEqual(try store.photo(atPath: path(files[1]))?.contentHash, oldHash)
    }

    func testSidecarIsReadAndItsChangeNoticed() throws {
        let files = try makeLibrary()
        _ = try reindex()
        let sidecar = files[0].path + ".xmp"
        try Self.sidecar(description: "Our dog in the garden", keywords: ["dog", "garden"])
            .write(toFile: sidecar, atomically: true, encoding: .utf8)
        let summary = try reindex()
        XCTAssertEqual(summary.indexed, 1)
        let photo = try XCTUnwrap(try store.photo(atPath: path(files[0])))
        XCTAssertEqual(photo.metadata.description, "Our dog in the garden")
        XCTAssertEqual(photo.metadata.keywords, ["dog", "garden"])
        // `photo.xmp` (without the photo's extension) is found too.
        let stemSidecar = files[1].deletingPathExtension().path + ".xmp"
        try Self.sidecar(description: "Grace Hopper", keywords: []).write(toFile: stemSidecar, atomically: true, encoding: .utf8)
        _ = try reindex()
        XCTAssertEqual(try store.photo(atPath: path(files[1]))?.metadata.description, "Grace Hopper")
    }

    static func sidecar(description: String, keywords: [String]) -> String {
        let bag = keywords.map { "<rdf:li>\($0)</rdf:li>" }.joined()
        return """
            <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(description)</rdf:li></rdf:Alt></dc:description>
            \(keywords.isEmpty ? "" : "<dc:subject><rdf:Bag>\(bag)</rdf:Bag></dc:subject>")
            </rdf:Description></rdf:RDF></x:xmpmeta>
            <?xpacket end="w"?>
            """
    }

    func testExcludesHiddenFoldersAndSymlinkLoops() throws {
        let files = try makeLibrary()
        let nasThumbnails = library + "/2019/@eaDir"
        try FileManager.default.createDirectory(atPath: nasThumbnails, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: files[0], to: URL(fileURLWithPath: nasThumbnails + "/SYNOPHOTO_THUMB.jpg"))
        try FileManager.default.createDirectory(atPath: library + "/.trash", withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: files[0], to: URL(fileURLWithPath: library + "/.trash/old.jpg"))
        try FileManager.default.createSymbolicLink(atPath: library + "/2020/trip/loop", withDestinationPath: library)
        let summary = try indexer.run(roots: [library], excludes: ["trip"])
        XCTAssertEqual(summary.filesSeen, 2, "only 2019's two photos: @eaDir, .trash and the excluded trip are skipped")
        XCTAssertEqual(try store.status().photos, 2)
    }

    func testTheLibraryIsNeverWritten() throws {
        _ = try makeLibrary()
        let before = try LibraryFingerprint.of(library)
        XCTAssertEqual(before.count, 7, "three folders and four photos")
        // Describing runs, but with write-back off nothing may touch the library.
        let summary = try indexer.run(roots: [library], vision: FakeVision(caption: "A dog."), writeBack: nil)
        XCTAssertEqual(summary.described, 4)
        XCTAssertEqual(try LibraryFingerprint.of(library), before)
    }

    func testEveryMalformedFileIsRecordedAndTheRunCompletes() throws {
        let (folder, reason) = Corpus.folder("malformed")
        guard let folder else { throw XCTSkip(reason) }
        let copies = try scratch.copy(Corpus.files(in: folder), into: "library")
        let summary = try reindex()
        XCTAssertEqual(summary.indexed + summary.failed, copies.count)
        for file in copies {
            let problems = try store.problems(at: path(file))
            let photo = try store.photo(atPath: path(file))
            XCTAssertTrue(photo != nil || problems.contains { $0.severity == .error }, file.lastPathComponent)
            if photo == nil { XCTAssertFalse(problems[0].reason.isEmpty) }
        }
        XCTAssertGreaterThanOrEqual(summary.failed, 15)
        XCTAssertEqual(try store.pendingJobCount(.index) + store.pendingJobCount(.preview), 0)
        XCTAssertEqual(try store.pendingJobCount(.describe), summary.indexed, "run without models: photos wait to be described")
        // Broken files are not read again while they stay as they are.
        XCTAssertEqual(try reindex().queued, 0)
    }

    func testAFileThatCrashedTwiceIsSkippedUntilItChanges() throws {
        let files = try makeLibrary()
        let suspect = path(files[2])
        try store.enqueue([JobRecord(kind: .index, target: suspect)])
        let claim = JobClaim(owner: "test", until: 0)  // lapsed at once: the indexer may claim it
        let id = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 1, for: claim).first?.id)
        try store.recordCrash(jobIDs: [id])
        try store.recordCrash(jobIDs: [id])
        let summary = try reindex()
        XCTAssertEqual(summary.indexed, files.count - 1)
        XCTAssertNil(try store.photo(atPath: suspect))
        XCTAssertTrue(try store.problems(at: suspect).first?.reason.contains("crashed 2 times") ?? false)
        XCTAssertEqual(try reindex().queued, 0, "not retried while unchanged")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: suspect)
        XCTAssertEqual(try reindex().indexed, 1, "a changed file gets another chance")
    }
}
