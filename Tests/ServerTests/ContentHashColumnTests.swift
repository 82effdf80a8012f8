import Foundation
import XCTest
import Search
@testable import Server

final class ContentHashColumnTests: XCTestCase {
    /// SHA-256s in hex come back as written from their bytes; any other spelling comes back as written too.
    func testEveryHashReadsBackAsWrittenThroughASave() throws {
        let hashes = ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                      "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", "", "abc",
                      "0000000000000000000000000000000000000000000000000000000000000000",
                      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g",
                      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "é9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a"]
        var column = ContentHashColumn()
        for hash in hashes { column.append(hash) }
        XCTAssertEqual(column.count, hashes.count)
        XCTAssertEqual(hashes.indices.map { column[$0] }, hashes)
        XCTAssertEqual(column.others.count, 5, "only the lowercase hex SHA-256s are kept as bytes")
        XCTAssertEqual(column.digests.count, hashes.count * 32)

        let path = NSTemporaryDirectory() + "hashes-\(UUID().uuidString).snapshot"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try SnapshotWriter(path: path)
        try column.save(&writer, "hashes")
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        let loaded = try ContentHashColumn(&reader, "hashes")
        XCTAssertEqual(hashes.indices.map { loaded[$0] }, hashes)
    }

    /// A saved column whose spelt-out rows lie beyond its digests is refused, not followed.
    func testADamagedColumnIsRefused() throws {
        let path = NSTemporaryDirectory() + "hashes-\(UUID().uuidString).snapshot"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try SnapshotWriter(path: path)
        try writer.array("hashes.digests", [UInt8](repeating: 7, count: 64))
        try writer.array("hashes.otherRows", [5])
        var spelt = TextColumn()
        spelt.append("abc")
        try writer.column("hashes.others", spelt)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        XCTAssertThrowsError(try ContentHashColumn(&reader, "hashes")) { error in
            XCTAssertTrue("\(error)".contains("content hashes are damaged"), "\(error)")
        }
    }
}
