import XCTest
import ViewfinderCore

final class ViewfinderCoreTests: XCTestCase {
    func testContentHashIsLowerCaseHexAndEncodesAsAString() throws {
        let hash = ContentHash(digest: [0x00, 0xAB, 0x0F, 0xF0])
        XCTAssertEqual(hash.hex, "00ab0ff0")
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(hash), as: UTF8.self), "\"00ab0ff0\"")
        // Its bytes come back from the hex; any other spelling has none, so it is never read back differently.
        XCTAssertEqual(hash.digest, [0x00, 0xAB, 0x0F, 0xF0])
        for other in ["00AB0FF0", "00ab0ff", "00ab0fg0", "é0"] { XCTAssertNil(ContentHash(hex: other).digest, other) }
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
