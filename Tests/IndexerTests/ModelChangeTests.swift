import XCTest
@testable import Indexer
import Store
import TestSupport
import Vision

/// Descriptions follow the weights that made them: other weights mean describing again, newest first.
final class ModelChangeTests: XCTestCase {
    func testPhotosDescribedByOtherWeightsAreDescribedAgainNewestFirst() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("models")
        defer { scratch.remove() }
        let names = ["dk-dog.jpg", "pil-hopper.jpg", "ski-coffee.png"]
        try scratch.copy(names.map { content.appendingPathComponent($0) }, into: "library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/t.sqlite"))
        let root = scratch.path + "/library"
        func run(_ models: [String]) throws -> IndexSummary {
            try indexer.run(roots: [root], previews: false, vision: FakeVision(caption: "a photo", models: models))
        }
        XCTAssertEqual(try run(["classifier@aaaa", "pp-ocr"]).described, 3)
        let unchanged = try run(["classifier@aaaa", "pp-ocr"])
        XCTAssertEqual(unchanged.redescribing, 0)
        XCTAssertEqual(unchanged.described, 0)
        XCTAssertEqual(try run(["classifier@aaaa"]).redescribing, 0, "a switch (text reading) is not other weights")

        // New weights: every photo is queued, the newest capture first, and described again.
        let photos = try store.searchablePhotos().map(\.photo)
        let newestFirst = photos.sorted { ($0.taken ?? "", $0.id ?? 0) > ($1.taken ?? "", $1.id ?? 0) }.map { String($0.id!) }
        XCTAssertEqual(try store.redescribe(unlessMadeBy: ["classifier@bbbb"]), 3)
        let claim = JobClaim(owner: "test", until: 0)  // lapsed at once: the next run may take them
        XCTAssertEqual(try store.claimJobs(.describe, after: 0, suspects: false, limit: 10, for: claim).map(\.target), newestFirst)
        XCTAssertEqual(try run(["classifier@bbbb"]).described, 3)
        for photo in photos {
            XCTAssertEqual(try store.description(photoID: photo.id!)?.models, #"["classifier@bbbb"]"#)
        }
        XCTAssertEqual(try run(["classifier@bbbb"]).redescribing, 0)
    }
}
