import Search
import ViewfinderCore
import XCTest

/// Search knows formats only by name (it depends on nothing): `type:video` and `type:photo` must cover exactly
/// the formats the catalogue calls videos and photos, so a format added to one is not lost by the other.
final class MediaTypeSearchTests: XCTestCase {
    func testTypeVideoAndTypePhotoCoverEveryFormat() throws {
        let formats = MediaFormat.allCases
        let engine = SearchEngine(documents: formats.enumerated().map { index, format in
            SearchDocument(id: Int64(index + 1), path: "library/\(format.rawValue)", format: format.rawValue, width: 4, height: 3)
        })
        func found(_ query: String) throws -> Set<String> {
            Set(try engine.search(query, limit: 100).hits.map { formats[Int($0.id) - 1].rawValue })
        }
        XCTAssertEqual(try found("type:video"), Set(formats.filter(\.isVideo).map(\.rawValue)))
        XCTAssertEqual(try found("type:photo"), Set(formats.filter { !$0.isVideo }.map(\.rawValue)))
    }
}
