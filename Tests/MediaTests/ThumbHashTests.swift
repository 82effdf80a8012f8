import XCTest
@testable import Media

final class ThumbHashTests: XCTestCase {
    private func solid(_ width: Int, _ height: Int, _ rgb: (UInt8, UInt8, UInt8)) -> [UInt8] {
        (0..<(width * height)).flatMap { _ in [rgb.0, rgb.1, rgb.2, 255] }
    }

    func testHeaderCarriesTheAverageColour() {
        let hash = ThumbHash.encode(width: 32, height: 24, rgba: solid(32, 24, (255, 0, 0)))
        let header = Int(hash[0]) | Int(hash[1]) << 8 | Int(hash[2]) << 16
        XCTAssertEqual(header & 63, 21, "luminance (r+g+b)/3 = 1/3 of 63")
        XCTAssertEqual((header >> 6) & 63, 47, "p = (r+g)/2 - b = 0.5")
        XCTAssertEqual((header >> 12) & 63, 63, "q = r - g = 1")
        XCTAssertEqual(header >> 23, 0, "opaque")
        XCTAssertEqual(Int(hash[4]) >> 7, 1, "landscape flag")
    }

    func testDifferentPicturesDifferAndTheSameOneRepeats() {
        var gradient = [UInt8]()
        for y in 0..<40 { for x in 0..<30 { gradient += [UInt8(x * 8), UInt8(y * 6), 128, 255] } }
        let first = ThumbHash.encode(width: 30, height: 40, rgba: gradient)
        XCTAssertEqual(first, ThumbHash.encode(width: 30, height: 40, rgba: gradient))
        XCTAssertNotEqual(first, ThumbHash.encode(width: 30, height: 40, rgba: solid(30, 40, (0, 0, 255))))
        XCTAssertEqual(Int(first[4]) >> 7, 0, "portrait")
        XCTAssertLessThanOrEqual(first.count, 25)
    }
}
