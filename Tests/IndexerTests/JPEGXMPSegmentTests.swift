import XCTest
@testable import Indexer
import ViewfinderCore

/// Hostile segment lengths in a photo being written back: refused in words, never a trap.
final class JPEGXMPSegmentTests: XCTestCase {
    func testSegmentLengthsBelowTwoOrPastTheEndAreRefused() {
        let packet = Array("<x:xmpmeta/>".utf8)
        for length: [UInt8] in [[0, 0], [0, 1], [0xFF, 0xFF]] {
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1] + length + [0x45, 0x78, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9]
            XCTAssertThrowsError(try JPEGXMPSegment.replacing(in: photo, with: packet), "\(length)") { error in
                XCTAssertFalse((error as? IndexProblem)?.reason.isEmpty ?? true)
            }
        }
    }
}
