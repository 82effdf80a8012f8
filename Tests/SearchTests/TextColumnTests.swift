import Foundation
import XCTest
@testable import Search

/// Text columns keep their ends per block of rows: every value reads back across block edges and through a save,
/// and a column whose blocks disagree is refused.
final class TextColumnTests: XCTestCase {
    func testValuesReadBackAcrossBlocksAndThroughASave() throws {
        var column = TextColumn()
        let values = (0..<(TextColumn.blockRows * 2 + 17)).map { $0 % 7 == 0 ? "" : "2019/IMG_\($0)-Kraków-\(String(repeating: "é", count: $0 % 13)).jpg" }
        for value in values { column.append(value) }
        XCTAssertEqual(column.count, values.count)
        XCTAssertEqual(column.blockStarts.count, 3)
        XCTAssertEqual(values.indices.map { column[$0] }, values)
        XCTAssertTrue(column.isWhole)

        var joined = TextColumn()
        for value in values.prefix(100) { joined.append(value) }
        var rest = TextColumn()
        for value in values.dropFirst(100) { rest.append(value) }
        joined.append(contentsOf: rest)
        XCTAssertEqual(values.indices.map { joined[$0] }, values)
        XCTAssertEqual(joined.blockStarts, column.blockStarts)

        // Joined where a block ends (and onto nothing), the other's blocks are moved whole: the same column.
        for split in [0, TextColumn.blockRows] {
            var first = TextColumn(), second = TextColumn()
            for value in values.prefix(split) { first.append(value) }
            for value in values.dropFirst(split) { second.append(value) }
            first.append(contentsOf: second)
            XCTAssertEqual(values.indices.map { first[$0] }, values)
            XCTAssertEqual(first.blockStarts, column.blockStarts)
            XCTAssertEqual(first.ends, column.ends)
            XCTAssertEqual(first.bytes, column.bytes)
            XCTAssertTrue(first.isWhole)
        }

        let path = NSTemporaryDirectory() + "column-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try SnapshotWriter(path: path)
        try writer.column("paths", column)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        let loaded = try reader.textColumn("paths")
        XCTAssertTrue(loaded.isWhole)
        XCTAssertEqual(values.indices.map { loaded[$0] }, values)
    }

    /// A value longer than a block's ends can count is cut at a whole character, never mid-way through one.
    func testAnEnormousValueIsCutAtAWholeCharacter() {
        var column = TextColumn()
        column.append("a" + String(repeating: "ż", count: TextColumn.longest))
        column.append("next")
        XCTAssertLessThanOrEqual(column[0].utf8.count, TextColumn.longest)
        XCTAssertGreaterThan(column[0].utf8.count, TextColumn.longest - 2)
        XCTAssertTrue(column[0].hasSuffix("ż"))
        XCTAssertEqual(column[1], "next")
    }

    func testAColumnWhoseBlocksDisagreeIsNotWhole() {
        var column = TextColumn()
        for value in (0..<(TextColumn.blockRows + 5)).map({ "photo \($0)" }) { column.append(value) }
        XCTAssertTrue(column.isWhole)
        var shifted = column.blockStarts
        shifted[1] += 1
        XCTAssertFalse(TextColumn(bytes: column.bytes, ends: column.ends, blockStarts: shifted).isWhole)
        XCTAssertFalse(TextColumn(bytes: column.bytes, ends: column.ends, blockStarts: [0]).isWhole)
        var decreasing = column.ends
        decreasing[3] = 0
        XCTAssertFalse(TextColumn(bytes: column.bytes, ends: decreasing, blockStarts: column.blockStarts).isWhole)
        XCTAssertFalse(TextColumn(bytes: Array(column.bytes.dropLast()), ends: column.ends, blockStarts: column.blockStarts).isWhole)
    }
}
