import Search
import XCTest

/// Inputs that trapped the engine, found by QueryFuzz (scripts/fuzz) or named in the "Trust" issue: each must get an
/// answer, hits or a `QueryError` in words, never a crash. The raw fuzz input is quoted where there is one.
final class FuzzRegressionTests: XCTestCase {
    let engine = SearchEngine(documents: [
        SearchDocument(id: 1, path: "2019/IMG_0001.JPG", caption: "A tabby cat on the sofa", labels: [("cat", 0.9)],
                       city: "Lisbon", country: "Portugal", make: "Canon", taken: "2019-07-14T18:30:00", iso: 200,
                       fNumber: 2.8, focalLength: 35, latitude: 38.72, longitude: -9.14, width: 4000, height: 3000, rating: 4),
        SearchDocument(id: 2, path: "2021/PXL_0002.jpg", caption: "Two people by a red car", labels: [("car", 0.9)],
                       taken: "2021-06-02T10:10:10", width: 3000, height: 4000, faces: 2),
    ], vectors: [VectorIndex(model: "test", vectors: [[1, 0], [0.6, 0.8]])])

    /// Runs one search; a thrown `QueryError` is an answer too, as long as it says something.
    func answer(_ query: String, limit: Int = 30, cursor: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let result = try engine.search(query, limit: limit, cursor: cursor, queryVectors: ["test": [1, 0]])
            XCTAssertLessThanOrEqual(result.hits.count, max(limit, 0), file: file, line: line)
        } catch {
            XCTAssertFalse(error.message.isEmpty, file: file, line: line)
        }
    }

    /// QueryFuzz, first minute: `\xff\x0a\xc7\xc7\xc7\xc7\xc7\xc7\xc7` (an empty query, a negative limit) trapped in
    /// `prefix(_:)` at SearchEngine.swift:100 ("Can't take a prefix of negative length").
    func testLimitsOfAnyValue() {
        for limit in [-1, Int(bitPattern: 0xC7C7_C7C7_C7C7_C70A), Int.min, 0, Int.max, Int.max - 29] {
            answer("", limit: limit)
            answer("cat", limit: limit)
            answer("cat", limit: limit, cursor: "1")
            XCTAssertLessThanOrEqual(engine.similar(to: 1, limit: limit).hits.count, max(limit, 0))
        }
    }

    /// A negative cursor trapped in `dropFirst`; a huge one overflowed `offset + limit`.
    func testCursorsOfAnyValue() {
        for cursor in ["-1", "-9223372036854775808", "9223372036854775807", "9223372036854775778", "99999999999999999999",
                       "", " ", "1e3", "\u{0}", "٣", "0x10", "+1"] {
            answer("", cursor: cursor)
            answer("cat", cursor: cursor)
            answer("cat", limit: Int.max, cursor: cursor)
        }
    }

    /// Open range ends (±∞) were turned into Int, and comparisons with Int.max overflowed by one.
    func testRangesOpenAtEitherEndAndNumbersOfAnySize() {
        for query in ["faces:2-", "faces:1-", "faces:-3", "faces:-", "rating:3-", "rating:-2", "faces:1e300", "rating:1e300-",
                      "faces:nan", "rating:inf", "rating>9223372036854775807", "rating<-9223372036854775808",
                      "faces>=9223372036854775807", "faces<=-9223372036854775808", "rating>1e400", "faces<nan",
                      "iso:-", "iso:1e400-", "f:nan-4", "mm:-inf", "near:0,0,1e400km", "near:0,0,nan", "near:0,0,-5km",
                      "year:99999999999999999999", "taken:9999999999999999999-01", "month:-9223372036854775808"] {
            answer(query)
        }
    }

    /// Typing `faces:1-3` letter by letter passes through every prefix.
    func testEveryPrefixOfTypedFilters() {
        for typed in ["faces:1-3", "rating>=3", "taken:2019-01..2019-03", "near:38.72,-9.14,5km", "iso:100-400"] {
            for end in typed.indices { answer(String(typed[...end])) }
        }
    }

    func testUnicodeNULAndLongQueries() {
        answer("\u{0}")
        answer("cat\u{0}sofa rating>\u{0}3 \"\u{0}\"")
        answer("ｃａｔ 🐈‍⬛ Zürich \u{301}e \u{FFFD} \u{202E}tac -\"\" | | \"")
        answer(String(repeating: "cat ", count: 2_500))
        answer(String(repeating: "a", count: 10_000))
        answer(String(repeating: "faces:1- ", count: 1_200))
        answer(String(repeating: "\"", count: 10_001))
        answer(String(repeating: "-", count: 10_000))
    }
}
