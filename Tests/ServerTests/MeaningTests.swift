import Foundation
import HummingbirdTesting
import Search
@testable import Server
import Vision
import XCTest

/// A model worker that never answers, or fails: search answers from words all the same and says so.
final class MeaningTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    /// The fixture's photos behind an engine that has vectors, so a query with words asks the worker.
    /// - Parameter patience: long where the test is about what the worker said, not about waiting for it.
    private func library(_ worker: VisionService, patience: Duration = QueryMeaning.patience) throws -> LiveLibrary {
        let store = fixture.library.store
        let read = try SearchLibrary.read(store)
        let documents = read.rows.map { SearchLibrary.document($0, nil, root: read.root) }
        let engine = SearchEngine(documents: documents, vectors: [VectorIndex(model: "clip", vectors: documents.map { _ in [1, 0, 0] })])
        let snapshot = LibrarySnapshot(engine: engine, root: read.root, records: read.rows)
        return LiveLibrary(snapshot: snapshot, store: store, renditions: fixture.library.renditions,
                           meaning: QueryMeaning(patience: patience) { worker })
    }

    /// The same photos, saved and loaded back without their vectors (as a restart answers before they are read).
    private func restartedLibrary(_ worker: VisionService) throws -> (LiveLibrary, SearchEngine, SnapshotReader) {
        let ready = try library(worker)
        defer { ready.meaning?.shutdown() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meaning-\(UUID().uuidString)").path
        defer { unlink(path) }
        var writer = try SnapshotWriter(path: path)
        try ready.snapshot.engine.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        let engine = try SearchEngine(withoutVectors: &reader)
        let snapshot = LibrarySnapshot(engine: engine, photos: ready.snapshot.photos)
        let library = LiveLibrary(snapshot: snapshot, store: fixture.library.store, renditions: fixture.library.renditions,
                                  meaning: QueryMeaning(patience: .seconds(30)) { worker })
        return (library, engine, reader)
    }

    func testVectorsStillBeingReadLeaveSearchToWordsAndSaySo() async throws {
        let (library, engine, opened) = try restartedLibrary(AnsweringWorker())
        var reader = opened
        defer { library.meaning?.shutdown() }
        let answer = try await searchWithoutHanging(library, "dog")
        let hits = try XCTUnwrap(answer["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.first?["id"] as? Int64, fixture.id("dk-dog.jpg"), "found by its words")
        let message = try XCTUnwrap(answer["message"] as? String)
        XCTAssertTrue(message.contains("meaning unavailable (the library's vectors are still being read)"), message)
        try engine.readVectors(&reader)
        reader.close()
        let arrived = try await searchWithoutHanging(library, "dog")
        XCTAssertNil(arrived["message"] as? String, "the note stayed after the vectors arrived")
    }

    /// The search's answer, failing (not hanging) when none comes: the bound only tells a stall from an answer.
    private func searchWithoutHanging(_ library: LiveLibrary, _ query: String) async throws -> [String: Any] {
        let answered = expectation(description: "search answered")
        let box = AnswerBox()
        Task { [fixture] in
            try await fixture!.test(library: library) { client in
                box.answer = try await client.execute(uri: "/api/search?q=\(query)", method: .get).json()
            }
            answered.fulfill()
        }
        await fulfillment(of: [answered], timeout: 60)
        return try XCTUnwrap(box.answer, "no answer: search stalled behind the model worker")
    }

    func testAWorkerThatNeverAnswersLeavesSearchToWordsAndSaysSo() async throws {
        let worker = StuckWorker()
        defer { worker.release() }
        let library = try library(worker)
        defer { library.meaning?.shutdown() }
        for _ in 0..<2 {
            let answer = try await searchWithoutHanging(library, "dog")
            let hits = try XCTUnwrap(answer["hits"] as? [[String: Any]])
            XCTAssertEqual(hits.first?["id"] as? Int64, fixture.id("dk-dog.jpg"), "found by its words")
            let message = try XCTUnwrap(answer["message"] as? String)
            XCTAssertTrue(message.contains("meaning unavailable (the model worker is starting)"), message)
        }
    }

    func testAFailingWorkerIsNamedInTheAnswer() async throws {
        let library = try library(FailingWorker(), patience: .seconds(30))
        defer { library.meaning?.shutdown() }
        let answer = try await searchWithoutHanging(library, "dog")
        XCTAssertFalse((answer["hits"] as? [Any] ?? []).isEmpty)
        let message = try XCTUnwrap(answer["message"] as? String)
        XCTAssertTrue(message.contains("the model worker failed: out of memory"), message)
    }

    func testAWorkerNoQueryUsedForAWhileIsLetGo() async throws {
        let worker = AnsweringWorker()
        let meaning = QueryMeaning(patience: .seconds(30), idleRelease: .milliseconds(1500)) { worker }
        defer { meaning.shutdown() }
        _ = await meaning.vectors(for: "dog")
        _ = await meaning.vectors(for: "cat")
        // The bound only tells a worker never let go from a slow timer.
        let deadline = Date().addingTimeInterval(30)
        while worker.releases.count() == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertEqual(worker.releases.count(), 1, "let go once, after the last query, not after each")
        let again = await meaning.vectors(for: "horse")
        XCTAssertEqual(again, .vectors(["clip": [1, 0, 0]]), "the next query is answered again")
    }

    func testAnAnsweringWorkerGivesMeaningAndNoNote() async throws {
        let library = try library(AnsweringWorker(), patience: .seconds(30))
        defer { library.meaning?.shutdown() }
        let answer = try await searchWithoutHanging(library, "dog")
        XCTAssertNil(answer["message"] as? String)
    }
}

private final class AnswerBox: @unchecked Sendable {
    var answer: [String: Any]?
}

/// Blocks every call until released, as a worker that is starting or stuck does.
private final class StuckWorker: VisionService, @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    func release() { for _ in 0..<QueryMeaning.queueLimit { gate.signal() } }
    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] { [] }
    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] {
        gate.wait()
        throw VisionError("released")
    }
    var models: [String] { ["clip"] }
    func shutdown() {}
}

private struct FailingWorker: VisionService {
    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] { [] }
    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { throw VisionError("out of memory", workerFailed: true) }
    var models: [String] { ["clip"] }
    func shutdown() {}
}

private final class AnsweringWorker: VisionService, @unchecked Sendable {
    let releases = Counter()
    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] { [] }
    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { ["clip": texts.map { _ in [1, 0, 0] }] }
    var models: [String] { ["clip"] }
    func shutdown() {}
    func release() { releases.add() }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    func count() -> Int { lock.withLock { value } }
}
