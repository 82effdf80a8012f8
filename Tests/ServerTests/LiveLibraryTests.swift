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

    /// A restart answers before the saved vectors are read; they arrive on their own thread, and when they fail
    /// their check the catalogue is read afresh (vectors included) rather than an engine without them kept or saved.
    func testSavedVectorsArriveAfterARestartAndDamagedOnesAreReadAfresh() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("live-vectors")
        defer { scratch.remove() }
        let photos = try FileManager.default.contentsOfDirectory(at: content, includingPropertiesForKeys: nil)
            .filter { ["jpg", "png"].contains($0.pathExtension.lowercased()) }.sorted { $0.path < $1.path }.prefix(4)
        XCTAssertEqual(photos.count, 4, "the corpus has too few content photos for this test")
        try scratch.copy(Array(photos), into: "library")
        let root = LibraryIndexer.canonical(scratch.path + "/library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        _ = try LibraryIndexer(store: store, renditions: renditions).run(roots: [root], previews: false)
        // Each photo described with a vector leaning towards the next photo's axis: its neighbours by meaning are
        // the photos before and after it, round the four.
        let ids = try store.searchablePhotos().compactMap(\.photo.id).sorted()
        XCTAssertEqual(ids.count, 4)
        for (axis, id) in ids.enumerated() {
            var vector = [Float](repeating: 0, count: 8)
            vector[axis] = 1
            vector[(axis + 1) % 4] = 0.6
            try Self.describe(store, id, vector: vector)
        }
        func alike(_ library: LiveLibrary, _ photo: Int) -> [Int64] {
            library.snapshot.engine.similar(to: ids[photo]).hits.map(\.id).sorted()
        }
        let neighbours = [[ids[1], ids[3]], [ids[0], ids[2]], [ids[1], ids[3]], [ids[0], ids[2]]]
        func eventually(_ what: String, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(60)
            while try !condition() {
                guard Date() < deadline else { return XCTFail("\(what): not within a minute") }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        let saved = scratch.path + "/search.snapshot"
        let first = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(alike(first, 2), neighbours[2])
        try first.save()

        let restarted = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(restarted.costs.rebuilds, 0)
        try eventually("the saved vectors arrive") { alike(restarted, 3) == neighbours[3] }
        XCTAssertEqual(restarted.costs.rebuilds, 0)
        XCTAssertEqual(restarted.costs.vectorFailures, 0)

        // The vectors' values, the file's last section, damaged: words answer at once, the catalogue is read afresh.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: saved))
        bytes[bytes.count - 40] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: saved))
        let recovered = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        XCTAssertEqual(recovered.snapshot.engine.photoCount, 4)
        try eventually("the catalogue read afresh") { recovered.costs.rebuilds == 1 }
        XCTAssertEqual(recovered.costs.vectorFailures, 1, "the damage was not found behind the words")
        XCTAssertEqual(alike(recovered, 1), neighbours[1])
        try recovered.save()
        let again = try LiveLibrary(store: store, renditions: renditions, roots: [root], savedAt: saved)
        try eventually("the saved vectors arrive") { alike(again, 0) == neighbours[0] }
        XCTAssertEqual(again.costs.rebuilds, 0)
    }

    /// The photo's description committed as the describing job does, with one vector of model "m".
    static func describe(_ store: PhotoStore, _ id: Int64, vector: [Float]) throws {
        let photo = try XCTUnwrap(try store.photo(id: id))
        try store.enqueue([JobRecord(kind: .describe, target: String(id))])
        let claim = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 600)
        let job = try XCTUnwrap(try store.claimJobs(.describe, after: 0, suspects: false, limit: 100, for: claim).first { $0.target == String(id) })
        let record = DescriptionRecord(photoID: id, contentHash: photo.contentHash, caption: "", labels: "[]", text: "", faces: "[]",
                                       faceCount: 0, place: nil, models: "[]", describedAt: Date().timeIntervalSince1970)
        let change = CatalogueChange.described(record, vectors: [VectorRecord(photoID: id, model: "m", values: vector)], rewrite: nil,
                                               problem: nil, faces: [])
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change)], owner: claim.owner).applied, 1)
        try store.releaseClaims(owner: claim.owner)
    }
}
