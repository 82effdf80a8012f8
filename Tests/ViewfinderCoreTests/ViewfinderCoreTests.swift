import XCTest
import ViewfinderCore

final class ViewfinderCoreTests: XCTestCase {
    func testContentHashIsLowerCaseHexAndEncodesAsAString() throws {
        let hash = ContentHash(digest: [0x00, 0xAB, 0x0F, 0xF0])
        XCTAssertEqual(hash.hex, "00ab0ff0")
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(hash), as: UTF8.self), "\"00ab0ff0\"")
    }

    func testProblemsDefaultToErrorsAndSayWhere() {
        let problem = IndexProblem(.decode, "truncated JPEG")
        XCTAssertEqual(problem.severity, .error)
        XCTAssertEqual(problem.description, "decode: truncated JPEG")
    }

    func testJPEGFamilyAndPreviewDecoding() {
        XCTAssertTrue(MediaFormat.mpo.isJPEGFamily)
        XCTAssertFalse(MediaFormat.heic.isJPEGFamily)
        XCTAssertTrue(MediaFormat.raw.decodesThroughPreview)
    }
}
