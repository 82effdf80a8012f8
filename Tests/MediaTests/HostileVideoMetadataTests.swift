import XCTest
@testable import Media
import ViewfinderCore

/// ffprobe passes on whatever a file's tags say: numbers no Int holds, NaN and impossible positions must become
/// "not known", never a trap in the indexer or a value the page cannot encode.
final class HostileVideoMetadataTests: XCTestCase {
    private func probe(rotate: String? = nil, sideRotation: String? = nil, location: String? = nil) -> [UInt8] {
        let tags = rotate.map { #", "tags": {"rotate": "\#($0)"}"# } ?? ""
        let side = sideRotation.map { #", "side_data_list": [{"rotation": \#($0)}]"# } ?? ""
        let place = location.map { #""com.apple.quicktime.location.ISO6709": "\#($0)""# } ?? ""
        return Array(#"""
            {"streams": [{"codec_type": "video", "width": 640, "height": 360\#(tags)\#(side)}],
             "format": {"duration": "3.0", "tags": {\#(place)}}}
            """#.utf8)
    }

    func testTurnsNoIntHoldsAreNoTurn() throws {
        for rotate in ["nan", "inf", "-inf", "1e400", "-9223372036854775808", "9.3e18"] {
            let metadata = try VideoMetadata.interpret(ffprobeJSON: probe(rotate: rotate), format: .mp4)
            XCTAssertEqual([metadata.width, metadata.height], [640, 360], rotate)
        }
        let huge = try VideoMetadata.interpret(ffprobeJSON: probe(sideRotation: "1e300"), format: .mp4)
        XCTAssertEqual([huge.width, huge.height], [640, 360])
        let quarter = try VideoMetadata.interpret(ffprobeJSON: probe(rotate: "-270"), format: .mp4)
        XCTAssertEqual([quarter.width, quarter.height], [360, 640], "a real quarter turn still turns")
    }

    func testImpossiblePositionsAreNotKept() throws {
        let far = "+48.8584+002.2945+" + String(repeating: "9", count: 400) + "/"
        let position = try XCTUnwrap(VideoMetadata.iso6709(far))
        XCTAssertNil(position.alt, "an altitude no Double holds is not known")
        let metadata = try VideoMetadata.interpret(ffprobeJSON: probe(location: far), format: .mp4)
        XCTAssertNoThrow(try JSONEncoder().encode(metadata), "the page can show it")
        XCTAssertNil(VideoMetadata.iso6709("+4899.5+00217.67/"), "99 minutes")
        XCTAssertNil(VideoMetadata.iso6709("+485199.5+0021767/"), "99 seconds")
    }
}
