import XCTest
@testable import Indexer
import TestSupport

/// Box sizes are the file's word: one that overflows the offsets must end the walk, not the indexer.
final class VideoXMPTests: XCTestCase {
    func testABoxSizeNearInt64MaxIsNotFollowed() throws {
        let scratch = try ScratchFolder("video-xmp")
        defer { scratch.remove() }
        var bytes: [UInt8] = [0, 0, 0, 16] + Array("ftypisom".utf8) + [0, 0, 2, 0]
        // A 64-bit "large size" box of 2^63 - 1 bytes, after which nothing fits.
        bytes += [0, 0, 0, 1] + Array("free".utf8) + [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0, count: 64)
        let path = scratch.path + "/hostile.mp4"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(VideoXMP.read(path))
    }
}
