import XCTest
@testable import Organiser

/// Organise reads a JPEG's header the way write-back does: damage refuses the edit instead of adding a second EXIF.
final class JPEGExifTests: XCTestCase {
    private let exif: [UInt8] = [0xFF, 0xE1, 0, 16] + Array("Exif\0\0".utf8) + [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]
    private let frame: [UInt8] = [0xFF, 0xC0, 0, 11, 8, 0, 30, 0, 40, 1, 1, 0x11, 0]
    private let scan: [UInt8] = [0xFF, 0xDA, 0, 2, 0x11, 0xFF, 0xD9]

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jpegexif-\(UUID().uuidString).jpg").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testTheEXIFBlockAndFrameSizeAreFoundAfterFillBytes() throws {
        let photo = try JPEGExif(path: try write([0xFF, 0xD8, 0xFF] + exif + frame + scan))
        XCTAssertEqual(photo.block, [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0])
        XCTAssertEqual(photo.size?.width, 40)
        XCTAssertEqual(photo.size?.height, 30)
    }

    func testStrayBytesBeforeTheEXIFAreRefused() throws {
        let path = try write([0xFF, 0xD8, 0xFF, 0xFE, 0, 4, 0x41, 0x42, 0x00, 0x00] + exif + frame + scan)
        XCTAssertThrowsError(try JPEGExif(path: path)) { error in
            XCTAssertTrue("\(error)".contains("unexpected bytes between JPEG segments at offset 8"), "\(error)")
        }
    }
}
