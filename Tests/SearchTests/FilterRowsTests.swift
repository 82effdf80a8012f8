@testable import Search
import XCTest

/// A filter few photos pass is answered by meaning from the rows of the photos its columns list, not by the scan:
/// the same photos either way.
final class FilterRowsTests: XCTestCase {
    /// One photo in 40 taken in 2003, the rest in 2010; every third a Canon; one in seven without a date; ratings
    /// vary among the photos of 2003.
    static func documents(_ count: Int) -> [SearchDocument] {
        (0..<count).map { number in
            SearchDocument(id: Int64(number + 1), path: "p/\(number).jpg", labels: [("photo", 0.5)],
                           make: number % 3 == 0 ? "Canon" : "Nikon",
                           taken: number % 7 == 3 ? nil : number % 40 == 0 ? "2003-05-0\(number % 9 + 1)T10:00:00" : "2010-01-01T12:00:00",
                           rating: number / 40 % 5)
        }
    }

    func testTheColumnsListTheSamePhotosAsThePerPhotoFilter() throws {
        let engine = SearchEngine(documents: Self.documents(2000))
        let filtered = { (text: String) -> (listed: [Int], asked: [Int]) in
            let filters = try engine.parse(text).filters.map(CompiledFilter.init)
            let asked = (0..<engine.columns.count).filter { engine.columns.passes(filters, $0) }
            return (engine.columns.photos(passing: filters), asked)
        }
        for text in ["year:2003", "year:2003 camera:canon", "camera:canon year:2003 rating:2", "camera:canon", "rating:1-2", "taken:2003-05-02"] {
            let (listed, asked) = try filtered(text)
            XCTAssertFalse(asked.isEmpty, text)
            XCTAssertEqual(listed, asked, text)
        }
    }

    func testAPhotoSetHoldsExactlyItsPhotos() {
        let photos = [0, 1, 63, 64, 65, 127, 128, 199]
        let set = PhotoSet(photos, count: 200)
        XCTAssertEqual((0..<260).filter(set.contains), photos, "numbers at and across word edges; none past the count")
    }

    func testAFilterFewPhotosPassFindsTheExactScansNearest() throws {
        var clusters = VectorNeighbourhoodTests.Clusters(seed: 21)
        let vectors = (0..<3000).map { _ in clusters.photo() }
        let index = VectorIndex(model: "clip", vectors: vectors, approximateFrom: 0)
        XCTAssertTrue(index.isApproximate)
        let query = clusters.photo()
        // One photo in 40 passes: the nearest neighbourhoods hold fewer than the 100 asked for.
        let few = Array(stride(from: 0, to: 3000, by: 40)), accept = { (photo: Int) in photo % 40 == 0 }
        let exact = index.exactNearest(query, limit: 100, accept: accept)
        XCTAssertEqual(exact.count, few.count)
        var listed = false
        let answer = index.nearest(query, limit: 100, accept: accept) {
            listed = true
            return few
        }
        XCTAssertTrue(listed, "the neighbourhoods came up short, so the passing photos were listed")
        XCTAssertEqual(answer.map(\.row), exact.map(\.row))
        XCTAssertEqual(answer.map(\.similarity), exact.map(\.similarity))
        // Past a third of the rows the scan answers: a list of the first 1,001 photos is not read, so the answer
        // reaches photos beyond it, exactly as the scan's.
        let most = { (photo: Int) in photo % 3 != 0 }
        let scanned = index.exactNearest(query, limit: 100, accept: most).map(\.row)
        XCTAssertTrue(scanned.contains { $0 > 1000 })
        XCTAssertEqual(index.exactNearest(query, limit: 100, among: Array(0...1000), accept: most).map(\.row), scanned)
    }

    func testAYearFewPhotosWereTakenInGivesTheExactEnginesHits() throws {
        var clusters = VectorNeighbourhoodTests.Clusters(seed: 22)
        let documents = Self.documents(3000)
        // The photos of 2003 close around centre 5, the rest around 30 others: they stand out for a query there.
        let vectors = documents.indices.map { $0 % 40 == 0 ? clusters.photo(near: 5, noise: 0.5) : clusters.photo(near: 6 + $0 % 30) }
        let exact = SearchEngine(documents: documents, vectors: [VectorIndex(model: "clip", vectors: vectors, approximateFrom: .max)])
        let approximate = SearchEngine(documents: documents, vectors: [VectorIndex(model: "clip", vectors: vectors, approximateFrom: 0)])
        for text in ["zebra 2003", "zebra taken:2003-05", "zebra year:2003 camera:canon"] {
            let query = ["clip": clusters.photo(near: 5, noise: 0.5)]
            let expected = try exact.search(text, limit: 50, queryVectors: query)
            let found = try approximate.search(text, limit: 50, queryVectors: query)
            XCTAssertGreaterThan(expected.mightMatch, 3, text)
            XCTAssertEqual(found.hits.map(\.id), expected.hits.map(\.id), text)
            XCTAssertEqual(found.hits.map(\.semantic), expected.hits.map(\.semantic), text)
            XCTAssertEqual(found.mightMatch, expected.mightMatch, text)
        }
    }
}
