import Foundation
import TestSupport
import XCTest

/// Real videos through the CLI: indexed, shown with their length and QuickTime metadata, found by `type:video`
/// and by length.
final class VideoCommandTests: CLITestCase {
    func names(_ query: String) throws -> Set<String> {
        let result = try XCTUnwrap(try json("search", "--json", "--no-semantic", "--limit", "100", query) as? [String: Any])
        let hits = try XCTUnwrap(result["hits"] as? [[String: Any]], "\(result)")
        return Set(hits.compactMap { ($0["path"] as? String)?.split(separator: "/").last.map(String.init) })
    }

    func testVideosAreIndexedShownAndFound() throws {
        if let missing = TestVideos.missingTools { throw XCTSkip(missing) }
        let library = scratch.url.appendingPathComponent("library")
        let videos = try TestVideos.make(in: library)
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        try scratch.copy([content.appendingPathComponent("dk-dog.jpg")], into: "library")
        let run = try viewfinder("index", "--no-vision", library.path)
        XCTAssertEqual(run.status, 0, run.stderr)

        let shown = try XCTUnwrap(try json("show", "--json", videos["phone.mp4"]!) as? [String: Any])
        XCTAssertEqual(shown["format"] as? String, "mp4")
        XCTAssertEqual(shown["video"] as? Bool, true)
        XCTAssertEqual(try XCTUnwrap(shown["duration"] as? Double), 3, accuracy: 0.1)
        XCTAssertEqual(shown["contentIdentifier"] as? String, TestVideos.contentIdentifier)
        XCTAssertEqual(shown["taken"] as? String, "2019-06-14T18:30:12+02:00")
        XCTAssertEqual(shown["model"] as? String, TestVideos.model)
        let photo = try XCTUnwrap(try json("show", "--json", library.appendingPathComponent("dk-dog.jpg").path) as? [String: Any])
        XCTAssertEqual(photo["video"] as? Bool, false)
        XCTAssertTrue(photo["duration"] is NSNull, "a photo's length is null, and the key is there")

        XCTAssertEqual(try names("type:video"), ["phone.mp4", "turned.mov", "short.mkv"])
        XCTAssertEqual(try names("type:photo"), ["dk-dog.jpg"])
        XCTAssertEqual(try names("duration>2s"), ["phone.mp4", "turned.mov"])
        XCTAssertEqual(try names("duration<2s"), ["short.mkv"])
        XCTAssertEqual(try names("type:video make:apple"), ["phone.mp4"])
        XCTAssertEqual(try names("year:2019 type:video"), ["phone.mp4"])
    }
}
