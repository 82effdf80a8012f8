import Foundation
import XCTest
@testable import Search

/// `type:video`, `type:photo` and a video's length in the query language, live and after a snapshot.
final class VideoSearchTests: XCTestCase {
    static let documents: [SearchDocument] = [
        SearchDocument(id: 1, path: "2021/beach.mp4", caption: "Waves on a beach", format: "mp4", width: 1920, height: 1080, duration: 5),
        SearchDocument(id: 2, path: "2021/party.mov", caption: "A birthday party", format: "quicktime", width: 1080, height: 1920, duration: 45),
        SearchDocument(id: 3, path: "2021/talk.mkv", caption: "A talk at the beach bar", format: "matroska", width: 1280, height: 720, duration: 150),
        SearchDocument(id: 4, path: "2021/beach.jpg", caption: "A beach at noon", format: "jpeg", width: 4000, height: 3000),
        SearchDocument(id: 5, path: "2021/party.heic", caption: "A party", format: "heic", width: 4032, height: 3024),
    ]

    func ids(_ engine: SearchEngine, _ query: String) throws -> Set<Int64> { Set(try engine.search(query).hits.map(\.id)) }

    func testTypeAndLengthFilters() throws {
        let engine = SearchEngine(documents: Self.documents)
        let cases: [(String, Set<Int64>)] = [
            ("type:video", [1, 2, 3]), ("type:photo", [4, 5]), ("type:mov", [2]), ("type:mkv", [3]), ("type:mp4", [1]),
            ("duration>30s", [2, 3]), ("duration<2m", [1, 2]), ("duration>=45", [2, 3]), ("duration>45s", [3]),
            ("duration<=5s", [1]), ("duration:10s-2m", [2]), ("duration:1m-", [3]), ("duration>1m30s", [3]),
            ("beach type:video", [1, 3]), ("beach type:photo", [4]), ("beach duration<1m", [1]),
        ]
        for (query, expected) in cases { XCTAssertEqual(try ids(engine, query), expected, query) }
        XCTAssertEqual(try engine.search("duration>90s").understood["duration"], ">1m30s")
        XCTAssertEqual(try engine.search("type:video").understood["type"] != nil, true)
    }

    func testBadLengthsAreExplained() {
        let engine = SearchEngine(documents: Self.documents)
        for query in ["duration>lots", "duration<", "duration:2m-10s", "duration>5x"] {
            XCTAssertThrowsError(try engine.search(query), query) { error in
                XCTAssertTrue("\(error)".contains("length"), "\(query): \(error)")
            }
        }
    }

    func testLengthsLongerThanAnyVideoMeanAnyLength() throws {
        let engine = SearchEngine(documents: Self.documents)
        XCTAssertEqual(try ids(engine, "duration>1000000000000000000000"), [], "no video is that long")
        XCTAssertEqual(try ids(engine, "duration<99999999999999999999h"), try ids(engine, "type:video"))
    }

    func testLengthsSurviveTheSnapshot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("video-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("engine").path
        var writer = try SnapshotWriter(path: path)
        try SearchEngine(documents: Self.documents).save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        let loaded = try SearchEngine(&reader)
        XCTAssertEqual(try ids(loaded, "duration>30s"), [2, 3])
        XCTAssertEqual(try ids(loaded, "type:video"), [1, 2, 3])
    }

    func testTheParsersFormatNamesAreTheCataloguesOwn() {
        // Search depends on nothing; these are MediaFormat's raw values (ServerTests checks them against it too).
        XCTAssertEqual(Set(QueryParser.videoFormats).intersection(QueryParser.photoFormats), [])
        XCTAssertEqual(QueryParser.types["video"], QueryParser.videoFormats)
    }
}
