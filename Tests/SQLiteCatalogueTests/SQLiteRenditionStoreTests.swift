import XCTest
import Catalogue
import SQLiteCatalogue
import TestSupport

final class SQLiteRenditionStoreTests: XCTestCase {
    func testRenditionsAreKeyedByContentAndKind() throws {
        let scratch = try ScratchFolder("renditions")
        defer { scratch.remove() }
        let store = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        try store.put([1, 2, 3], hash: "abc", kind: .thumbnail)
        try store.put([9], hash: "abc", kind: .preview)
        try store.put([4, 5], hash: "abc", kind: .thumbnail)
        XCTAssertEqual(try store.get(hash: "abc", kind: .thumbnail), [4, 5])
        XCTAssertTrue(try store.contains(hash: "abc", kind: .preview))
        XCTAssertFalse(try store.contains(hash: "def", kind: .thumbnail))
        try store.remove(hashes: ["abc"])
        XCTAssertNil(try store.get(hash: "abc", kind: .preview))
    }
}
