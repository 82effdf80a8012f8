import Foundation
import XCTest
@testable import Search

/// A saved engine loads back answering exactly as it did, and a torn or damaged file is refused.
final class EnginePersistenceTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// An engine that has been changed after its build: tails, added words, absent photos and vectors all present.
    func changedEngine() -> SearchEngine {
        let first = (Int64(1)...200).map { EngineUpdateTests.document($0, seed: Int($0)) }
        let engine = SearchEngine(documents: first, vectors: [VectorIndex(model: "m", vectors: first.map { EngineUpdateTests.vector(Int($0.id)) })])
        var updates = [EngineUpdate]()
        for id in Int64(1)...30 { updates.append(.upsert(EngineUpdateTests.document(id, seed: Int(id) + 777), vectors: ["m": EngineUpdateTests.vector(Int(id) + 777)])) }
        for id in Int64(31)...40 { updates.append(.remove(id)) }
        updates.append(.upsert(SearchDocument(id: 500, path: "2020/zeppelin.jpg", caption: "a zeppelin above Kraków", city: "Kraków"), vectors: [:]))
        engine.apply(updates)
        return engine
    }

    func save(_ engine: SearchEngine, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        var file = try SnapshotWriter(path: path)
        try engine.save(&file)
        try file.finish()
        return path
    }

    func load(_ path: String) throws -> SearchEngine {
        var file = try SnapshotReader(path: path)
        defer { file.close() }
        return try SearchEngine(&file)
    }

    func testALoadedEngineAnswersAsTheOneSaved() throws {
        let engine = changedEngine()
        let loaded = try load(try save(engine, "engine"))
        XCTAssertEqual(loaded.photoCount, engine.photoCount)
        for query in EngineUpdateTests.queries + ["zeppelin", "zepp", "krakow", "person:\"Ada Lovelace\""] {
            XCTAssertEqual(try EngineUpdateTests.answers(loaded, query, meaning: EngineUpdateTests.vector(4242)),
                           try EngineUpdateTests.answers(engine, query, meaning: EngineUpdateTests.vector(4242)), query)
        }
        // It goes on changing after loading, as the engine it was saved from would.
        loaded.apply([.remove(500), .upsert(SearchDocument(id: 501, path: "x/blimp.jpg", caption: "a blimp"), vectors: [:])])
        XCTAssertEqual(try loaded.search("zeppelin").hits.map(\.id), [])
        XCTAssertEqual(try loaded.search("blimp").hits.map(\.id), [501])
    }

    func testATornOrDamagedFileIsRefusedAndASaveCutShortLeavesThePreviousOne() throws {
        let path = try save(changedEngine(), "engine")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let torn = folder.appendingPathComponent("torn").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: torn))
        XCTAssertThrowsError(try load(torn)) { XCTAssertTrue("\($0)".contains("not a whole saved engine"), "\($0)") }
        var flipped = whole
        flipped[whole.count / 3] ^= 0x40
        let damaged = folder.appendingPathComponent("damaged").path
        try flipped.write(to: URL(fileURLWithPath: damaged))
        XCTAssertThrowsError(try load(damaged)) { XCTAssertTrue($0 is SnapshotError, "\($0)") }
        // A save that never finished (the process died) wrote only beside the file.
        var unfinished = try SnapshotWriter(path: path)
        try SearchEngine(documents: []).save(&unfinished)
        XCTAssertEqual(try load(path).photoCount, changedEngine().photoCount)
    }

    /// A server answers from a saved engine before its vectors are read: words answer meanwhile, the photos
    /// changed meanwhile have their vectors once the rest arrives, and a save started meanwhile waits for them.
    func testVectorsReadAfterTheRestKeepTheChangesMadeMeanwhile() throws {
        let engine = changedEngine()
        var file = try SnapshotReader(path: try save(engine, "engine"))
        defer { file.close() }
        let loaded = try SearchEngine(withoutVectors: &file)
        XCTAssertEqual(loaded.vectorModels, ["m"], "the models are known before their vectors arrive")
        XCTAssertEqual(try loaded.search("zeppelin").hits.map(\.id), [500])
        let meaning = ["m": EngineUpdateTests.vector(4242)]
        XCTAssertEqual(try EngineUpdateTests.answers(loaded, "cat", meaning: EngineUpdateTests.vector(4242)),
                       try EngineUpdateTests.answers(loaded, "cat", meaning: nil), "meaning answered before the vectors arrived")
        let changes: [EngineUpdate] = [
            .upsert(EngineUpdateTests.document(600, seed: 600), vectors: ["m": EngineUpdateTests.vector(4242)]), .remove(50),
            .upsert(EngineUpdateTests.document(60, seed: 9_001), vectors: ["m": EngineUpdateTests.vector(9_001)]),
            .upsert(EngineUpdateTests.document(61, seed: 9_002), vectors: [:]),
        ]
        loaded.apply(changes)
        engine.apply(changes)
        let later = folder.appendingPathComponent("later").path
        let saved = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                var writer = try SnapshotWriter(path: later)
                try loaded.save(&writer)
                try writer.finish()
            } catch { XCTFail("the save failed: \(error)") }
            saved.signal()
        }
        XCTAssertEqual(saved.wait(timeout: .now() + 0.3), .timedOut, "a save ended before the vectors arrived")
        XCTAssertEqual(loaded.vectorsMissing, "the library's vectors are still being read")
        try loaded.readVectors(&file)
        XCTAssertNil(loaded.vectorsMissing)
        XCTAssertEqual(saved.wait(timeout: .now() + 60), .success, "the save never ended")
        let reloaded = try load(later)
        for query in EngineUpdateTests.queries + ["zeppelin", ""] {
            let expected = try EngineUpdateTests.answers(engine, query, meaning: EngineUpdateTests.vector(4242))
            XCTAssertEqual(try EngineUpdateTests.answers(loaded, query, meaning: EngineUpdateTests.vector(4242)), expected, query)
            XCTAssertEqual(try EngineUpdateTests.answers(reloaded, query, meaning: EngineUpdateTests.vector(4242)), expected, "saved: \(query)")
        }
        XCTAssertEqual(try loaded.search("", limit: 1, queryVectors: meaning).hits.first?.id, 600, "the photo added meanwhile lost its vector")
    }

    /// Vectors that cannot be read leave an engine that answers by words and refuses to be saved (its file would
    /// lose them): the caller reads the catalogue instead.
    func testDamagedVectorsLeaveWordsAndNoSave() throws {
        var whole = try Data(contentsOf: URL(fileURLWithPath: try save(changedEngine(), "engine")))
        // The vectors' values are the last section: before its checksum and the trailer.
        whole[whole.count - 40] ^= 0x10
        let damaged = folder.appendingPathComponent("damaged").path
        try whole.write(to: URL(fileURLWithPath: damaged))
        var file = try SnapshotReader(path: damaged)
        defer { file.close() }
        let loaded = try SearchEngine(withoutVectors: &file)
        XCTAssertThrowsError(try loaded.readVectors(&file)) { XCTAssertTrue("\($0)".contains("vectors.rows.values"), "\($0)") }
        XCTAssertEqual(try loaded.search("zeppelin").hits.map(\.id), [500])
        XCTAssertNotNil(loaded.vectorsMissing)
        XCTAssertEqual(loaded.vectorModels, [], "a query's vector would meet nothing")
        // Changes go on, with nothing kept for vectors that will never come.
        loaded.apply([.upsert(EngineUpdateTests.document(700, seed: 700), vectors: ["m": EngineUpdateTests.vector(700)])])
        XCTAssertEqual(loaded.similar(to: 700).hits.count, 0)
        let never = folder.appendingPathComponent("never").path
        var writer = try SnapshotWriter(path: never)
        XCTAssertThrowsError(try loaded.save(&writer)) { XCTAssertTrue("\($0)".contains("vectors were not read"), "\($0)") }
        writer.abandon()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("never") }, [])
    }

    /// Each section carries its own checksum: one changed byte anywhere (a header, the values, the padding, a
    /// checksum, the trailer) is refused, whichever section it falls in.
    func testAByteChangedAnywhereIsRefused() throws {
        let path = try save(changedEngine(), "engine")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let damaged = folder.appendingPathComponent("damaged").path
        // Every byte of the head and the trailer, and 400 spread over the rest.
        let positions = Array(0..<256) + stride(from: 256, to: whole.count - 32, by: max(1, (whole.count - 288) / 400)) + Array((whole.count - 32)..<whole.count)
        for position in positions {
            var changed = whole
            changed[position] ^= 0x10
            try changed.write(to: URL(fileURLWithPath: damaged))
            XCTAssertThrowsError(try load(damaged), "byte \(position) of \(whole.count) changed, and the file was still read") {
                XCTAssertTrue($0 is SnapshotError, "\($0)")
            }
        }
    }

    /// What a writer killed mid-save left is removed by the next save: only a dead process's, untouched for a minute.
    func testASaveRemovesWhatKilledSavesLeft() throws {
        let path = folder.appendingPathComponent("engine.snapshot").path
        func endedProcess() throws -> Int32 {
            let ended = Process()
            ended.executableURL = URL(fileURLWithPath: "/bin/true")
            try ended.run()
            ended.waitUntilExit()
            return ended.processIdentifier
        }
        let old = Date(timeIntervalSinceNow: -600)
        func leftover(_ pid: Int32, modified: Date) throws -> String {
            let name = path + ".partial-\(pid)"
            try Data(repeating: 1, count: 4096).write(to: URL(fileURLWithPath: name))
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: name)
            return name
        }
        let abandoned = try leftover(try endedProcess(), modified: old)
        let running = try leftover(getppid(), modified: old)
        let fresh = try leftover(try endedProcess(), modified: Date())
        var file = try SnapshotWriter(path: path)
        try changedEngine().save(&file)
        try file.finish()
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned), "a dead writer's old leftover stays")
        XCTAssertTrue(FileManager.default.fileExists(atPath: running), "a running process's file was removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh), "a file written within the minute was removed")
        XCTAssertEqual(try load(path).photoCount, changedEngine().photoCount)
    }
}
