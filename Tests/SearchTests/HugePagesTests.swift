@testable import Search
import XCTest

/// Which pages a large array asks to have as huge pages: whole 2 MiB pages inside it, and only for buffers of
/// `HugePages.smallest` bytes and more.
final class HugePagesTests: XCTestCase {
    func testOnlyWholeHugePagesInsideTheBufferAreAdvised() throws {
        let huge = UInt(HugePages.size)
        for base in [huge * 7, huge * 7 + 16, huge * 8 - 1] {
            for count in [HugePages.smallest, HugePages.smallest + 4_096, HugePages.smallest + HugePages.size] {
                let pages = try XCTUnwrap(HugePages.pages(inside: base, count))
                XCTAssertGreaterThanOrEqual(pages.lowerBound, base)
                XCTAssertLessThanOrEqual(pages.upperBound, base + UInt(count))
                XCTAssertEqual(pages.lowerBound % huge, 0)
                XCTAssertEqual(pages.upperBound % huge, 0)
                // Nothing inside the buffer that could be a whole huge page is left out.
                XCTAssertLessThan(pages.lowerBound, base + huge)
                XCTAssertGreaterThan(pages.upperBound + huge, base + UInt(count))
            }
        }
        XCTAssertEqual(HugePages.pages(inside: huge * 7, HugePages.smallest), huge * 7..<huge * 23)
        XCTAssertEqual(HugePages.pages(inside: huge * 7 + 1, HugePages.smallest), huge * 8..<huge * 23)
    }

    func testSmallerBuffersAndTheEndOfMemoryAreLeftAlone() {
        XCTAssertNil(HugePages.pages(inside: UInt(HugePages.size) * 3, HugePages.smallest - 1))
        XCTAssertNil(HugePages.pages(inside: 0, 0))
        XCTAssertNil(HugePages.pages(inside: UInt.max - UInt(HugePages.smallest) / 2, HugePages.smallest))
    }

    /// The threshold counts bytes, not elements: a quarter as many 4-byte numbers reach it.
    func testBuffersAreMeasuredInBytes() {
        var terms: [UInt32] = HugePages.uninitialized(HugePages.smallest / 4 + 5)
        XCTAssertEqual(terms.count, HugePages.smallest / 4 + 5)
        terms.withUnsafeMutableBufferPointer { XCTAssertNotNil(HugePages.pages(of: $0)) }
        var fewer: [UInt32] = HugePages.uninitialized(HugePages.smallest / 4 - 1)
        fewer.withUnsafeMutableBufferPointer { XCTAssertNil(HugePages.pages(of: $0)) }
        var bytes: [UInt8] = HugePages.uninitialized(HugePages.smallest / 4 + 5)
        bytes.withUnsafeMutableBufferPointer { XCTAssertNil(HugePages.pages(of: $0)) }
        for index in terms.indices { terms[index] = UInt32(index) }
        XCTAssertEqual(terms.last, UInt32(HugePages.smallest / 4 + 4))
    }
}
