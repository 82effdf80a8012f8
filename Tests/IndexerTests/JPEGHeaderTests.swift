import XCTest
@testable import Indexer
import ViewfinderCore

/// Hostile segment lengths and stray bytes in a photo's header: refused in words, never a trap, for every writer.
final class JPEGHeaderTests: XCTestCase {
    private let packet = Array("<x:xmpmeta/>".utf8)
    private let exif: [UInt8] = [0xFF, 0xE1, 0, 16] + Array("Exif\0\0".utf8) + [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]
    private let scan: [UInt8] = [0xFF, 0xDA, 0, 2, 0x11, 0x22, 0xFF, 0xD9]

    func testSegmentLengthsBelowTwoOrPastTheEndAreRefused() {
        for length: [UInt8] in [[0, 0], [0, 1], [0xFF, 0xFF]] {
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1] + length + [0x45, 0x78, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9]
            XCTAssertThrowsError(try JPEGXMPSegment.replacing(in: photo, with: packet), "\(length)") { error in
                XCTAssertFalse((error as? IndexProblem)?.reason.isEmpty ?? true)
            }
            XCTAssertThrowsError(try JPEGHeader(photo), "\(length)")
        }
    }

    func testSegmentsEndAtTheScan() throws {
        let photo: [UInt8] = [0xFF, 0xD8] + exif + scan
        let header = try JPEGHeader(photo)
        XCTAssertEqual(header.segments.map(\.marker), [0xE1])
        XCTAssertEqual(header.segments[0].bytes, 2..<(2 + exif.count))
        XCTAssertEqual(Array(photo[header.segments[0].body].prefix(6)), Array("Exif\0\0".utf8))
        XCTAssertEqual(header.scan, 2 + exif.count)
        XCTAssertEqual(try JPEGXMPSegment.replacing(in: photo, with: packet).suffix(scan.count), scan[...])
    }

    /// An EXIF block after stray bytes must not go unseen: a writer that missed it would add a second one.
    func testStrayBytesBeforeASegmentAreRefused() {
        let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFE, 0, 4, 0x41, 0x42, 0x00, 0x00] + exif + scan
        XCTAssertThrowsError(try JPEGHeader(photo)) { error in
            XCTAssertEqual((error as? JPEGHeader.Damage)?.reason, "unexpected bytes between JPEG segments at offset 8")
        }
        XCTAssertThrowsError(try JPEGXMPSegment.replacing(in: photo, with: packet))
    }

    /// Fill bytes (0xFF) may come before any marker: the segment after them is still found, and kept with them.
    func testFillBytesBeforeAMarkerAreKept() throws {
        let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFF] + exif + [0xFF] + scan
        let header = try JPEGHeader(photo)
        XCTAssertEqual(header.segments.map(\.marker), [0xE1])
        XCTAssertEqual(header.segments[0].bytes, 2..<(4 + exif.count))
        XCTAssertEqual(header.segments[0].body.lowerBound, 8)
        XCTAssertEqual(header.scan, 4 + exif.count, "the fill byte before the scan is the scan's")
        let written = try JPEGXMPSegment.replacing(in: photo, with: packet)
        XCTAssertEqual(written.prefix(4 + exif.count), photo.prefix(4 + exif.count))
        XCTAssertEqual(written.suffix(scan.count + 1), photo.suffix(scan.count + 1))
    }
}
