import Foundation
import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
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

    func testTheStampFollowsTheFilesButNotPythonsCompiledCopies() throws {
        let scratch = try ScratchFolder("code-stamp")
        defer { scratch.remove() }
        let code = scratch.path + "/viewfinder_worker"
        try FileManager.default.createDirectory(atPath: code + "/__pycache__", withIntermediateDirectories: true)
        try "LABELS = 1\n".write(toFile: code + "/scene.py", atomically: true, encoding: .utf8)
        let before = ModelFiles.stamp([code])
        XCTAssertTrue(before.contains("scene.py"), before)
        try "compiled".write(toFile: code + "/__pycache__/scene.cpython-311.pyc", atomically: true, encoding: .utf8)
        XCTAssertEqual(ModelFiles.stamp([code]), before, "the worker writing its .pyc changes nothing")
        try "LABELS = 22\n".write(toFile: code + "/scene.py", atomically: true, encoding: .utf8)
        XCTAssertNotEqual(ModelFiles.stamp([code]), before, "a changed module does")
    }

    func testTheWorkerIsAskedOnlyWhenItsModelFilesChanged() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("stamp")
        defer { scratch.remove() }
        try scratch.copy(["dk-dog.jpg", "pil-hopper.jpg"].map { content.appendingPathComponent($0) }, into: "library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/t.sqlite"))
        let vision = StampedVision(stamp: "export 1", models: ["classifier@aaaa"])
        let root = scratch.path + "/library"
        XCTAssertEqual(try indexer.run(roots: [root], previews: false, vision: vision).described, 2)
        let asked = vision.connects
        XCTAssertGreaterThan(asked, 0, "new photos start the worker anyway")
        XCTAssertEqual(try indexer.run(roots: [root], previews: false, vision: vision).described, 0)
        XCTAssertEqual(vision.connects, asked, "same files, nothing to describe: the worker is not started")
        // An upgrade exports new weights: the files' stamp changes, the worker is asked, the photos follow.
        vision.stamp = "export 2"
        vision.models = ["classifier@bbbb"]
        let upgraded = try indexer.run(roots: [root], previews: false, vision: vision)
        XCTAssertEqual(vision.connects, asked + 1)
        XCTAssertEqual(upgraded.redescribing, 2)
        XCTAssertEqual(upgraded.described, 2)
    }
}

/// A local worker seen from outside: its model files' stamp, and how often it was asked for its models.
private final class StampedVision: VisionService, @unchecked Sendable {
    private let lock = NSLock()
    private var state: (stamp: String, models: [String], connects: Int)

    init(stamp: String, models: [String]) { state = (stamp, models, 0) }

    var stamp: String {
        get { lock.withLock { state.stamp } }
        set { lock.withLock { state.stamp = newValue } }
    }
    var models: [String] {
        get { lock.withLock { state.models } }
        set { lock.withLock { state.models = newValue } }
    }
    var connects: Int { lock.withLock { state.connects } }
    var modelFilesStamp: String? { stamp }

    func connect() throws(VisionError) -> [String] {
        lock.withLock {
            state.connects += 1
            return state.models
        }
    }

    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        try FakeVision(caption: "a photo", models: models).describe(requests)
    }

    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { [:] }
    func shutdown() {}
}
