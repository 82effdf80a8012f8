import Foundation
import XCTest
@testable import Search

/// Stacks as the engine keeps them: found at the build, kept current photo by photo, saved and loaded, and shown as
/// one hit that any member's words find.
final class StackTests: XCTestCase {
    static func photo(_ id: Int64, _ path: String, format: String = "jpeg", caption: String = "harbour", taken: String? = nil,
                      make: String? = nil, content: String? = nil, burst: String? = nil) -> SearchDocument {
        SearchDocument(id: id, path: path, caption: caption, make: make, model: make.map { $0 + " one" }, taken: taken, format: format,
                       contentIdentifier: content, burstIdentifier: burst)
    }

    static let library = [
        photo(1, "trip/DSC_0100.NEF", format: "raw"), photo(2, "trip/DSC_0100.JPG"),
        photo(3, "trip/IMG_2001.JPG"), photo(4, "trip/IMG_E2001.JPG", caption: "lighthouse"),
        photo(5, "trip/a/IMG_3001.JPG", taken: "2024-05-01T10:00:01", burst: "B"),
        photo(6, "trip/b/IMG_3000.JPG", taken: "2024-05-01T10:00:00", burst: "B"),
        photo(7, "run/P1000001.JPG", taken: "2024-05-02T11:00:00", make: "Lumix"),
        photo(8, "run/P1000002.JPG", taken: "2024-05-02T11:00:02", make: "Lumix"),
        photo(9, "run/P1000003.JPG", taken: "2024-05-02T11:00:05", make: "Lumix"),
        photo(10, "live/IMG_4001.HEIC", format: "heic", content: "C-1"), photo(11, "live/IMG_4001.MOV", format: "quicktime", content: "C-1"),
        photo(12, "live/IMG_5001.JPG"), photo(13, "live/IMG_5001.MOV", format: "quicktime"),
        photo(14, "trip/IMG_2002.JPG"), photo(15, "trip/IMG_2002.PNG", format: "png"),
    ]

    /// Every hit's path and its stack's kind and members, for a query.
    static func shown(_ engine: SearchEngine, _ query: String, stacked: Bool = true) throws -> [String] {
        try engine.search(query, limit: 100, stacked: stacked).hits.map { hit in
            hit.path + (hit.stack.map { " \($0.kind.rawValue): " + $0.members.joined(separator: ", ") } ?? "")
        }.sorted()
    }

    func testEachKindIsOneHitShownByItsBestMember() throws {
        let engine = SearchEngine(documents: Self.library)
        XCTAssertEqual(try Self.shown(engine, "harbour | lighthouse"), [
            "live/IMG_4001.HEIC live: live/IMG_4001.HEIC, live/IMG_4001.MOV",
            "live/IMG_5001.JPG live: live/IMG_5001.JPG, live/IMG_5001.MOV",
            "run/P1000001.JPG burst: run/P1000001.JPG, run/P1000002.JPG",
            "run/P1000003.JPG",
            "trip/DSC_0100.JPG raw+jpeg: trip/DSC_0100.JPG, trip/DSC_0100.NEF",
            "trip/IMG_2002.JPG", "trip/IMG_2002.PNG",
            "trip/IMG_E2001.JPG edited: trip/IMG_E2001.JPG, trip/IMG_2001.JPG",
            "trip/b/IMG_3000.JPG burst: trip/b/IMG_3000.JPG, trip/a/IMG_3001.JPG",
        ])
        let result = try engine.search("harbour | lighthouse", limit: 100)
        XCTAssertEqual(result.total, 9, "photos of one stack count once")
        XCTAssertEqual(try engine.search("harbour | lighthouse", limit: 100, stacked: false).hits.count, 15)
        // A filter only the original passes finds the stack once, shown by the original (a filter never shows a
        // photo it did not pass), with its members and its words as the reason.
        let original = try engine.search("harbour trip name:IMG_2001.JPG")
        XCTAssertEqual(original.hits.map(\.path), ["trip/IMG_2001.JPG"])
        XCTAssertEqual(original.hits.first?.stack?.members, ["trip/IMG_E2001.JPG", "trip/IMG_2001.JPG"])
        XCTAssertTrue(original.hits[0].why.contains { $0.contains("harbour") }, "\(original.hits[0].why)")
        XCTAssertEqual(engine.stack(of: 3)?.ids, [4, 3])
        XCTAssertNil(engine.stack(of: 14))
    }

    func testMembershipFollowsEachChangeAsARebuildWouldFindIt() throws {
        let engine = SearchEngine(documents: Self.library.filter { ![1, 8, 11].contains($0.id) })
        XCTAssertNil(engine.stack(of: 2))
        XCTAssertNil(engine.stack(of: 7), "frames 5 s apart are no burst")
        engine.apply([.upsert(Self.library[0], vectors: [:]), .upsert(Self.library[7], vectors: [:]), .upsert(Self.library[10], vectors: [:])])
        XCTAssertEqual(try Self.shown(engine, "harbour | lighthouse"), try Self.shown(SearchEngine(documents: Self.library), "harbour | lighthouse"))
        XCTAssertEqual(engine.stack(of: 7)?.ids, [7, 8], "the frame between them 2 s later joins; the next, 3 s on, does not")
        // The RAW taken out, the edited copy renamed to a photo of its own, the video's identifier lost.
        engine.apply([.remove(1), .upsert(Self.photo(4, "trip/IMG_2003.JPG"), vectors: [:]),
                      .upsert(Self.photo(11, "live/IMG_4001.MOV", format: "quicktime"), vectors: [:])])
        XCTAssertNil(engine.stack(of: 2))
        XCTAssertNil(engine.stack(of: 3))
        XCTAssertNil(engine.stack(of: 10))
        var after = Self.library.filter { $0.id != 1 }
        after[after.firstIndex { $0.id == 4 }!] = Self.photo(4, "trip/IMG_2003.JPG")
        after[after.firstIndex { $0.id == 11 }!] = Self.photo(11, "live/IMG_4001.MOV", format: "quicktime")
        XCTAssertEqual(try Self.shown(engine, "harbour"), try Self.shown(SearchEngine(documents: after), "harbour"))
    }

    func testASavedEngineKeepsItsStacks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stacks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = SearchEngine(documents: Self.library)
        engine.apply([.remove(12)])
        var writer = try SnapshotWriter(path: path)
        try engine.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.unmap() }
        let loaded = try SearchEngine(&reader)
        XCTAssertEqual(try Self.shown(loaded, "harbour | lighthouse"), try Self.shown(engine, "harbour | lighthouse"))
        XCTAssertNil(loaded.stack(of: 13), "a video whose still was taken out stands alone")
    }

    func testBurstGapsAreCountedAcrossMidnight() {
        XCTAssertEqual(StackFile.seconds(20_240_101_000_001)! - StackFile.seconds(20_231_231_235_959)!, 2)
        XCTAssertEqual(StackFile.seconds(19_700_101_000_000), 0)
        XCTAssertNil(StackFile.seconds(0))
    }
}
