import Search
import XCTest

/// Inputs that once trapped the engine (and so took the server down with one GET): each now gives a result or
/// a sentence saying what is wrong.
final class TotalParsingTests: XCTestCase {
    let engine = SearchEngine(documents: SearchEngineTests.documents)

    func testOpenRangesOfWholeNumbersAreClampedNotTrapped() throws {
        // faces:2- is what typing faces:2-3 passes through; ±∞ used to go into Int(...).
        XCTAssertEqual(try engine.search("faces:2-").hits.map(\.id), [2])
        XCTAssertEqual(try engine.search("rating:3-").hits.map(\.id), [1])
        XCTAssertEqual(try engine.search("rating:-5").hits.map(\.id), [1])
        XCTAssertEqual(try engine.search("faces:-").total, SearchEngineTests.documents.count)
        XCTAssertEqual(try engine.search("faces:1e300").total, 0)
        XCTAssertEqual(try engine.search("faces:1.5-2.5").hits.map(\.id), [2])
    }

    func testComparisonsWithHugeNumbersDoNotOverflow() throws {
        XCTAssertEqual(try engine.search("rating>9223372036854775807").total, 0)
        XCTAssertEqual(try engine.search("rating<-9223372036854775808").total, 0)
        XCTAssertEqual(try engine.search("faces>=99999999999999999999999").total, 0)
        XCTAssertEqual(try engine.search("rating>3").hits.map(\.id), [1])
    }

    func testNumbersThatAreNotNumbersAreRefusedInWords() {
        for query in ["faces:nan", "rating>nan", "iso:nan-5", "faces:3-1", "faces:1.2-1.8", "near:1,2,nan", "near:1,2,-5km",
                      "near:1,2,infkm", "year:2000-9223372036854775807", "year:-9223372036854775808-2000"] {
            XCTAssertThrowsError(try engine.search(query), query) { error in
                XCTAssertFalse((error as? QueryError)?.message.isEmpty ?? true, query)
            }
        }
    }

    func testCursorsAndLimitsOfAnyValue() throws {
        let cars = try engine.search("car", limit: 100).hits.map(\.id)
        XCTAssertGreaterThan(cars.count, 1)
        XCTAssertEqual(try engine.search("car", limit: -1).hits.count, 0)
        XCTAssertEqual(try engine.search("car", limit: Int.max).hits.map(\.id), cars)
        XCTAssertEqual(try engine.search("car", limit: Int.min).hits.count, 0)
        XCTAssertEqual(try engine.search("car", limit: 1, cursor: "1").hits.map(\.id), [cars[1]])
        XCTAssertEqual(try engine.search("car", limit: Int.max, cursor: "1000000000").hits.count, 0)
        for cursor in ["-1", "abc", "9223372036854775807", "99999999999999999999", "1e3", " 1", "1\u{0}"] {
            XCTAssertThrowsError(try engine.search("car", cursor: cursor), cursor) { error in
                XCTAssertTrue((error as? QueryError)?.message.contains("cursor") ?? false, "\(error)")
            }
        }
        XCTAssertEqual(engine.similar(to: 1, limit: -5).hits.count, 0)
    }

    func testLongAndStrangeTextIsSearchedOrRefusedNeverTrapped() throws {
        let strange = [String(repeating: "a", count: 10_000), String(repeating: "ab ", count: 3_400), "\u{0}", "cat\u{0}dog",
                       "\"", "\"\"", "-", "--", "|", "a |", "| a", "::", "year:", "faces:", "taken:..", "taken:2019..",
                       "near:,", "🐈‍⬛ 猫", "\u{FFFF}\u{10FFFF}", "e\u{301}", "ratings>3", String(repeating: "\u{301}", count: 5_000)]
        for query in strange {
            do { _ = try engine.search(query) } catch {
                XCTAssertFalse(error.message.isEmpty, query)
            }
        }
    }
}
