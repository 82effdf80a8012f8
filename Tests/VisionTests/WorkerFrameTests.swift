import Vision
import XCTest

final class WorkerFrameTests: XCTestCase {
    func testFrameCarriesLengthsHeaderAndPayload() throws {
        let frame = try WorkerFrame.encode(["op": "hello"], payload: [1, 2, 3])
        let outer = Int(frame[0]) << 24 | Int(frame[1]) << 16 | Int(frame[2]) << 8 | Int(frame[3])
        XCTAssertEqual(outer, frame.count - 4)
        let header = try WorkerFrame.header(of: Array(frame.dropFirst(4)))
        XCTAssertEqual(header["op"] as? String, "hello")
        XCTAssertEqual(header["v"] as? Int, WorkerFrame.version)
        XCTAssertEqual(Array(frame.suffix(3)), [1, 2, 3])
    }

    func testOtherProtocolVersionIsRefusedWithReason() throws {
        let json = Array(#"{"v":99,"ok":true}"#.utf8)
        let body = [0, 0, 0, UInt8(json.count)] + json
        XCTAssertThrowsError(try WorkerFrame.header(of: body)) { error in
            XCTAssertTrue("\(error)".contains("protocol 99"), "\(error)")
        }
    }
}
