import Foundation
import Indexer
@testable import Server
import Catalogue
import SQLiteCatalogue
import TestSupport
import XCTest

/// Indexing while serving applies each change to the engine (never a whole rebuild), and a restart loads the
/// saved snapshot instead of reading the catalogue.
final class LiveLibraryTests: XCTestCase {
    func testIndexingWhileServingNeverRebuildsAndARestartLoadsTheSavedSnapshot() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("live-library")
        defer { scratch.remove() }
        let photos = try FileManager.default.contentsOfDirectory(at: content, includingPropertiesForKeys: nil)
            .filter { ["jpg", "png"].contains($0.pathExtension.lowercased()) }.sorted { $0.path < $1.path }.prefix(12)
        XCTAssertGreaterThanOrEqual(photos.count, 6, "the corpus has too few content photos for this test")
        try scratch.copy(Array(photos.prefix(photos.count / 2)), into: "library/first")
        try scratch.copy(Array(photos.suffix(from: photos.count / 2)), into: "library/second")
        let root = LibraryIndexer.canonical(scratch.path + "/library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        let saved = scratch.path + "/search.snapshot"

        // An empty catalogue is read once at start; from then on indexing only adds.
        let library = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(library.costs.rebuilds, 1)
        let indexer = LibraryIndexer(store: store, renditions: renditions)
        library.indexing.refresh = {
            do { try library.catchUp() } catch { XCTFail("catching up during indexing: \(error)") }
        }
        let summary = try indexer.run(roots: [root], previews: false, progress: library.indexing)
        try library.catchUp()
        try library.save()
        XCTAssertEqual(library.costs.rebuilds, 1, "indexing rebuilt the engine")
        XCTAssertGreaterThanOrEqual(library.costs.applied, summary.indexed)
        XCTAssertEqual(library.snapshot.photos.count, photos.count)
        XCTAssertEqual(library.snapshot.engine.photoCount, photos.count)
        XCTAssertEqual(library.snapshot.newestFirst.count, photos.count)
        XCTAssertEqual(try library.snapshot.engine.search("second").total, photos.count - photos.count / 2, "folder words of the photos added")
        XCTAssertEqual(library.snapshot.root, root + "/")

        // A restart loads what was saved: nothing read whole, the same answers.
        let restarted = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(restarted.costs.rebuilds, 0)
        XCTAssertEqual(restarted.snapshot.newestFirst, library.snapshot.newestFirst)
        XCTAssertEqual(try restarted.snapshot.engine.search("first").hits.map(\.id), try library.snapshot.engine.search("first").hits.map(\.id))

        // A photo deleted while the server was down is gone after the next run, still without a rebuild.
        let gone = scratch.path + "/library/first/" + photos[0].lastPathComponent
        let goneID = try XCTUnwrap(try store.photo(atPath: LibraryIndexer.canonical(gone))?.id)
        try FileManager.default.removeItem(atPath: gone)
        _ = try indexer.run(roots: [root], previews: false)
        XCTAssertEqual(try restarted.catchUp(), 1)
        XCTAssertEqual(restarted.costs.rebuilds, 0)
        XCTAssertNil(restarted.snapshot.photos[goneID])
        XCTAssertFalse(restarted.snapshot.newestFirst.contains(goneID))
        XCTAssertEqual(restarted.snapshot.engine.photoCount, photos.count - 1)
        XCTAssertFalse(try restarted.snapshot.engine.search("first", limit: 100).hits.contains { $0.id == goneID })

        // A damaged save is not trusted: the catalogue is read instead.
        try restarted.save()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: saved))
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: saved))
        let recovered = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(recovered.costs.rebuilds, 1)
        XCTAssertEqual(recovered.snapshot.engine.photoCount, photos.count - 1)
        // and replaced by the next save, so the start after that loads again.
        try recovered.save()
        XCTAssertEqual(try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved).costs.rebuilds, 0)
    }
}
