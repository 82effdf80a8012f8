@testable import Search
import XCTest

/// Arrays asked to lie on huge pages are ordinary arrays: their sizes, and room that appends use without moving.
final class HugePagesTests: XCTestCase {
    func testUninitializedHasEveryElementToWrite() {
        // 9 MiB: whole huge pages inside, so the advice is given.
        var terms: [UInt32] = HugePages.uninitialized(9 << 18)
        XCTAssertEqual(terms.count, 9 << 18)
        for index in terms.indices { terms[index] = UInt32(index) }
        XCTAssertEqual(terms.last, UInt32(9 << 18 - 1))
        let small: [UInt8] = HugePages.uninitialized(3)
        XCTAssertEqual(small.count, 3)
    }

    func testReservedIsEmptyWithRoomThatAppendsUse() {
        var weights: [UInt8] = HugePages.reserved(5 << 20)
        XCTAssertTrue(weights.isEmpty)
        XCTAssertGreaterThanOrEqual(weights.capacity, 5 << 20)
        let base = weights.withUnsafeBufferPointer { $0.baseAddress }
        for index in 0..<(5 << 20) { weights.append(UInt8(truncatingIfNeeded: index)) }
        XCTAssertEqual(weights.withUnsafeBufferPointer { $0.baseAddress }, base, "appends within the room do not move the array")
        XCTAssertEqual(weights[1000], UInt8(truncatingIfNeeded: 1000))
        weights.append(contentsOf: [1, 2, 3])
        XCTAssertEqual(weights.count, 5 << 20 + 3)
    }
}
