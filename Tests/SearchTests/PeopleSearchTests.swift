import Foundation
import XCTest
@testable import Search

/// People in a photo: `person:` by name, names typed as words, `people:` by count, the people facet, and all of
/// it kept through changes and a saved engine.
final class PeopleSearchTests: XCTestCase {
    static let documents: [SearchDocument] = [
        SearchDocument(id: 1, path: "2019/garden.jpg", caption: "Two people in a garden", labels: [("garden", 0.8)],
                       taken: "2019-05-01T10:00:00", faces: 2, people: ["Ada Lovelace", "Charles Babbage"]),
        SearchDocument(id: 2, path: "2020/desk.jpg", caption: "A woman at a desk", labels: [("desk", 0.7)],
                       taken: "2020-01-01T10:00:00", faces: 1, people: ["Ada Lovelace"]),
        SearchDocument(id: 3, path: "2021/lab.jpg", caption: "A man in a lab", taken: "2021-01-01T10:00:00", faces: 1,
                       people: ["Charles Babbage"]),
        // Someone recognised but not named yet counts among the people, and is no name.
        SearchDocument(id: 4, path: "2021/party.jpg", caption: "A party", taken: "2021-06-01T10:00:00", faces: 3,
                       people: ["Zoë Ångström"], peopleCount: 2),
        // "ada" here is only text read in the photo, a weaker field than a person's name.
        SearchDocument(id: 5, path: "2022/boat.jpg", caption: "A boat", text: "ADA", taken: "2022-01-01T10:00:00"),
    ]

    let engine = SearchEngine(documents: PeopleSearchTests.documents)

    func ids(_ query: String) throws -> [Int64] { try engine.search(query).hits.map(\.id) }

    func testPersonFindsExactlyThatPersonsPhotosFoldedLikeOtherFilters() throws {
        XCTAssertEqual(try ids("person:\"Ada Lovelace\""), [2, 1], "newest first")
        XCTAssertEqual(try ids("person:\"ada  LOVELACE\""), [2, 1])
        XCTAssertEqual(try ids("person:\"zoe angstrom\""), [4], "accents folded")
        XCTAssertEqual(try ids("person:\"Ada\""), [], "a whole name, not a part of one")
        XCTAssertEqual(try ids("person:\"Grace Hopper\""), [])
        XCTAssertEqual(try ids("person:\"Ada Lovelace\" garden"), [1], "with words")
        XCTAssertEqual(try engine.search("person:\"Ada Lovelace\"").understood["person"], "Ada Lovelace")
    }

    func testSeveralPersonFiltersMeanAllOfThemInOnePhoto() throws {
        XCTAssertEqual(try ids("person:\"Ada Lovelace\" person:\"Charles Babbage\""), [1])
        XCTAssertEqual(try ids("person:\"Charles Babbage\" person:\"Zoë Ångström\""), [])
    }

    func testANameTypedAsWordsFindsThePhotoWeightedAsALabel() throws {
        XCTAssertEqual(try ids("lovelace"), [2, 1])
        XCTAssertEqual(try ids("babbage lab"), [3])
        XCTAssertEqual(try ids("lovel"), [2, 1], "as it is being typed")
        XCTAssertEqual(try ids("\"ada lovelace\""), [2, 1], "as a phrase")
        XCTAssertEqual(try ids("angstrom"), [4])
        let hit = try XCTUnwrap(try engine.search("lovelace ").hits.first)
        XCTAssertTrue(hit.why.contains("lovelace: person"), "\(hit.why)")
        // The person's name outweighs the same word read in a photo, as a label would.
        let ada = try engine.search("ada ").hits
        XCTAssertEqual(ada.map(\.id), [2, 1, 5])
        XCTAssertGreaterThan(ada[0].score, ada[2].score)
    }

    func testPeopleCountsThoseRecognisedNamedOrNot() throws {
        XCTAssertEqual(try ids("people:2"), [4, 1])
        XCTAssertEqual(try ids("people>=1"), [4, 3, 2, 1])
        XCTAssertEqual(try ids("people:0"), [5])
        XCTAssertEqual(try ids("faces:3"), [4], "faces still count faces")
        XCTAssertThrowsError(try engine.search("people:many"))
        XCTAssertThrowsError(try engine.search("person:\"!!\""), "a name with no letters") {
            XCTAssertTrue("\($0)".contains("person: takes a name"), "\($0)")
        }
    }

    func testFacetsListPeopleWithCounts() throws {
        let result = try engine.search("")
        XCTAssertEqual(result.facets["person"], ["Ada Lovelace": 2, "Charles Babbage": 2, "Zoë Ångström": 1])
        XCTAssertEqual(try engine.search("garden").facets["person"], ["Ada Lovelace": 1, "Charles Babbage": 1])
        // Two people of one name in a photo count the photo once.
        let twins = SearchEngine(documents: [SearchDocument(id: 1, path: "a.jpg", people: ["Sam", "Sam"])])
        XCTAssertEqual(try twins.search("").facets["person"], ["Sam": 1])
    }

    func testARenameReachesSearchAsAChangedPhoto() throws {
        engine.apply([.upsert(SearchDocument(id: 3, path: "2021/lab.jpg", caption: "A man in a lab", taken: "2021-01-01T10:00:00",
                                             faces: 1, people: ["Charles X. Babbage"]), vectors: [:])])
        XCTAssertEqual(try ids("person:\"Charles Babbage\""), [1])
        XCTAssertEqual(try ids("person:\"charles x babbage\""), [3])
        XCTAssertEqual(try engine.search("").facets["person"]?["Charles X. Babbage"], 1)
        XCTAssertEqual(try ids("babbage"), [3, 1])
    }

    func testASavedEngineKeepsPeopleAndAnOlderVersionIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("people-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("engine").path
        var writer = try SnapshotWriter(path: path)
        try engine.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        let loaded = try SearchEngine(&reader)
        reader.close()
        for query in ["person:\"Ada Lovelace\"", "person:\"zoe angstrom\"", "lovel", "people:2", "\"ada lovelace\""] {
            XCTAssertEqual(try loaded.search(query).hits.map(\.id), try ids(query), query)
        }
        XCTAssertEqual(try loaded.search("").facets, try engine.search("").facets)

        // An engine saved before people were searchable holds no people: it is refused, so it is read afresh.
        let old = folder.appendingPathComponent("old").path
        var older = try SnapshotWriter(path: old)
        try older.array("engine.version", [SearchEngine.formatVersion - 1])
        try older.finish()
        var oldReader = try SnapshotReader(path: old)
        defer { oldReader.close() }
        XCTAssertThrowsError(try SearchEngine(&oldReader)) { XCTAssertTrue("\($0)".contains("another version"), "\($0)") }
    }
}
