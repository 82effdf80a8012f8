import Search
import XCTest

/// The engine on a small hand-made library where every answer is known.
final class SearchEngineTests: XCTestCase {
    static let documents: [SearchDocument] = [
        SearchDocument(id: 1, path: "2019/2019-07 Lisbon/IMG_0001.JPG", caption: "A tabby cat sleeping on the sofa",
                       labels: [("cat", 0.9), ("sofa", 0.6), ("pet", 0.8)], city: "Lisbon", country: "Portugal",
                       make: "Canon", model: "Canon EOS 400D DIGITAL", taken: "2019-07-14T18:30:00", iso: 200, fNumber: 2.8,
                       focalLength: 35, latitude: 38.72, longitude: -9.14, width: 4000, height: 3000, rating: 4),
        SearchDocument(id: 2, path: "2021/2021-06 Zürich/PXL_20210602_101010.jpg", caption: "A red car parked by the lake",
                       labels: [("car", 0.9), ("red", 0.7), ("lake", 0.5)], text: "PARKING ONLY",
                       city: "Zürich", country: "Switzerland", make: "Google", model: "Pixel 6", taken: "2021-06-02T10:10:10",
                       iso: 800, fNumber: 1.9, focalLength: 26, latitude: 47.37, longitude: 8.54, format: "jpeg",
                       width: 3000, height: 4000, faces: 2),
        SearchDocument(id: 3, path: "2021/2021-06 Zürich/IMG_0042.HEIC", caption: "A dog running on the beach",
                       labels: [("dog", 0.9), ("beach", 0.8), ("mountain", 0.3)], city: "Zürich", country: "Switzerland",
                       make: "Apple", model: "iPhone 12", taken: "2021-06-20T08:00:00", iso: 50, format: "heic",
                       width: 4032, height: 3024),
        SearchDocument(id: 4, path: "scans/old car.png", caption: "A red wagon and a blue car",
                       labels: [("wagon", 0.8), ("car", 0.5)], format: "png", width: 1000, height: 1000),
        SearchDocument(id: 5, path: "2018/cats/IMG_7777.JPG", caption: "", labels: [("restaurant", 0.7)],
                       taken: "2018-12-24T21:00:00", width: 4000, height: 3000),
    ]

    let engine = SearchEngine(documents: SearchEngineTests.documents)

    func ids(_ query: String, file: StaticString = #filePath, line: UInt = #line) throws -> [Int64] {
        try engine.search(query).hits.map(\.id)
    }

    func testWordBeingTypedMatchesAsAPrefix() throws {
        XCTAssertEqual(try ids("ta"), [1])
        let hit = try XCTUnwrap(try engine.search("sof").hits.first)
        XCTAssertEqual(hit.id, 1)
        XCTAssertEqual(hit.matches.first?.kind, .prefix)
        XCTAssertTrue(hit.why.contains { $0.contains("sof → sofa") }, "\(hit.why)")
        // A finished word (space after it) is not a prefix any more.
        XCTAssertEqual(try ids("sof "), [])
    }

    func testTyposFromFiveLettersTwoFromNine() throws {
        XCTAssertEqual(try ids("sleepign"), [1], "two letters swapped")
        XCTAssertEqual(try ids("mountian"), [3])
        XCTAssertEqual(try ids("restuarnat"), [5], "two typos in a long word")
        XCTAssertEqual(try ids("cta"), [], "no typos in short words")
        let hit = try XCTUnwrap(try engine.search("parkd").hits.first)
        XCTAssertEqual(hit.matches.first?.kind, .typo)
    }

    func testTheWordItselfShutsOutCompletionsAndTypos() throws {
        let engine = SearchEngine(documents: [
            SearchDocument(id: 1, path: "a.jpg", labels: [("rocket", 0.9)]),
            SearchDocument(id: 2, path: "b.jpg", labels: [("racket", 0.9)]),
            SearchDocument(id: 3, path: "c.jpg", labels: [("textures", 0.9)]),
            SearchDocument(id: 4, path: "d.jpg", caption: "a page of text"),
            SearchDocument(id: 5, path: "e.jpg", labels: [("cars", 0.9)]),
            SearchDocument(id: 6, path: "f.jpg", labels: [("racket", 0.9), ("court", 0.8)]),
        ])
        let ids = { (query: String) in try engine.search(query).hits.map(\.id) }
        XCTAssertEqual(try ids("rocket"), [1], "not the rackets one typo away")
        XCTAssertEqual(try ids("rocket court"), [6], "unless the words found nothing together")
        XCTAssertEqual(try ids("rocket -rocket"), [], "not when it was an excluded word that left nothing")
        XCTAssertEqual(try ids("rocket name:f.jpg"), [], "nor a filter")
        XCTAssertEqual(try ids("text"), [4], "not the textures it begins")
        XCTAssertEqual(try ids("textu"), [3], "a word no photo holds is still completed")
        XCTAssertEqual(try ids("rockte"), [1], "and still forgiven a typo")
        let car = try XCTUnwrap(try engine.search("car ").hits.first)
        XCTAssertEqual(car.id, 5)
        XCTAssertEqual(car.matches.first?.kind, .plural)
        XCTAssertTrue(car.why.contains { $0.contains("car → cars") && $0.contains("(plural)") }, "\(car.why)")
    }

    func testAPluralFindsTheSingular() throws {
        XCTAssertEqual(try ids("sofas "), [1])
        XCTAssertEqual(Set(try ids("red cars ")), [2, 4])
        let hit = try XCTUnwrap(try engine.search("wagons ").hits.first)
        XCTAssertEqual(hit.id, 4)
        XCTAssertEqual(hit.matches.first?.kind, .singular)
        XCTAssertTrue(hit.why.contains { $0.contains("wagons → wagon") && $0.contains("(singular)") }, "\(hit.why)")
        XCTAssertEqual(try ids("glass "), [], "a word ending in ss is not a plural")
    }

    func testDiacriticsAndCaseAreFolded() throws {
        XCTAssertEqual(Set(try ids("zurich")), [2, 3])
        XCTAssertEqual(Set(try ids("ZÜRICH")), [2, 3])
    }

    func testAllWordsMustMatchAndCaptionOutranksFileName() throws {
        XCTAssertEqual(try ids("red car"), [2, 4])
        // "car" is in photo 4's caption and labels, photo 2's; only photo 4's file name has "old".
        XCTAssertEqual(try ids("old car"), [4])
        XCTAssertTrue(try engine.search("old car").hits[0].why.contains { $0.hasPrefix("old: file name") })
    }

    func testNegationAlternativesAndPhrases() throws {
        XCTAssertEqual(try ids("car -wagon"), [2])
        XCTAssertEqual(Set(try ids("cat | dog")), [1, 3, 5], "photo 5 is in a folder named cats")
        XCTAssertEqual(try ids("\"red car\""), [2], "photo 4 has red and car apart")
    }

    func testFilters() throws {
        let cases: [(String, Set<Int64>)] = [
            ("camera:pixel", [2]), ("make:apple", [3]), ("year:2021", [2, 3]), ("year:2018-2019", [1, 5]),
            ("month:7", [1]), ("month:december", [5]), ("taken:2021-06", [2, 3]), ("taken:2021-06-02", [2]),
            ("after:2020", [2, 3]), ("before:2019", [5]), ("taken:2019-01..2021-06-10", [1, 2]),
            ("iso:100-400", [1]), ("iso:800", [2]), ("f:1.8-2", [2]), ("mm:24-30", [2]), ("place:lisbon", [1]),
            ("city:zurich", [2, 3]), ("country:switzerland", [2, 3]), ("near:38.7,-9.1,10km", [1]),
            ("near:47.37,8.54,500m", [2]), ("label:lake", [2]), ("text:parking", [2]), ("folder:2021*", [2, 3]),
            ("folder:cats", [5]), ("name:img_*.jpg", [1, 5]), ("type:heic", [3]), ("type:png", [4]),
            ("orientation:portrait", [2]), ("orientation:square", [4]), ("rating>=3", [1]), ("rating<4", []),
            ("has:gps", [1, 2]), ("has:text", [2]), ("has:faces", [2]), ("has:caption", [1, 2, 3, 4]), ("faces:2", [2]),
            ("faces:0", [1, 3, 4, 5]), ("car year:2021", [2]),
        ]
        for (query, expected) in cases {
            XCTAssertEqual(Set(try ids(query)), expected, query)
        }
    }

    func testDatesAndPlacesInFreeText() throws {
        var result = try engine.search("beach 2021")
        XCTAssertEqual(result.hits.map(\.id), [3])
        XCTAssertEqual(result.understood["year"], "2021")
        XCTAssertEqual(result.understood["text"], "beach")
        result = try engine.search("June 2021")
        XCTAssertEqual(Set(result.hits.map(\.id)), [2, 3])
        XCTAssertEqual(result.understood["taken"], "2021-06")
        result = try engine.search("cat in lisbon ")
        XCTAssertEqual(result.hits.map(\.id), [1])
        XCTAssertEqual(result.understood["place"], "lisbon")
    }

    func testUnknownKeysAndBadValuesAreExplained() {
        let bad = ["colour:red": "unknown filter 'colour:'", "iso:lots": "takes a number or a range",
                   "taken:2021-13": "YYYY, YYYY-MM or YYYY-MM-DD", "near:abc": "near: takes latitude,longitude,distance",
                   "type:bmp": "unknown type", "orientation:diagonal": "portrait, landscape or square",
                   "has:wings": "gps, text, faces or caption", "rating>=x": "whole number", "year:": "needs a value"]
        for (query, message) in bad {
            XCTAssertThrowsError(try engine.search(query), query) { error in
                XCTAssertTrue("\(error)".contains(message), "\(query): \(error)")
            }
        }
    }

    func testTooManyWordsAreRefusedInWords() {
        let query = (1...32).map { "word\($0)" }.joined(separator: " ")
        XCTAssertThrowsError(try engine.search(query)) { error in
            XCTAssertTrue("\(error)".contains("31 words at most"), "\(error)")
        }
    }

    func testNoMatchSaysSo() throws {
        let result = try engine.search("giraffe")
        XCTAssertEqual(result.total, 0)
        XCTAssertNotNil(result.message)
    }

    func testFacetsAndPages() throws {
        let result = try engine.search("has:caption", limit: 2)
        XCTAssertEqual(result.total, 4)
        XCTAssertEqual(result.hits.count, 2)
        XCTAssertEqual(result.facets["year"], ["2019": 1, "2021": 2])
        XCTAssertEqual(result.facets["type"]?["jpeg"], 2)
        let next = try engine.search("has:caption", limit: 2, cursor: result.cursor)
        XCTAssertEqual(next.hits.count, 2)
        XCTAssertNil(next.cursor)
        XCTAssertTrue(Set(result.hits.map(\.id)).isDisjoint(with: next.hits.map(\.id)))
    }

    /// The five photos above and 35 more of a "restaurant", with unit vectors at the given cosines to the query
    /// direction [1, 0] (the five first, then the rest).
    static func meaningLibrary(model: String, cosines: [Float]) -> SearchEngine {
        let documents = Self.documents + (6...40).map { SearchDocument(id: Int64($0), path: "more/\($0).jpg", labels: [("restaurant", 0.7)]) }
        let vectors = VectorIndex(model: model, vectors: cosines.map { [$0, (1 - $0 * $0).squareRoot()] })
        return SearchEngine(documents: documents, vectors: [vectors])
    }

    /// Cosines spread like a sentence model's for an unrelated word: 0.10 to 0.30.
    static let chance: [Float] = (0..<40).map { 0.1 + 0.2 * Float(($0 * 7) % 40) / 40 }

    func testPhotosFoundOnlyByMeaningAreMarkedAndFollowEveryWordMatch() throws {
        var cosines = Self.chance
        cosines[2] = 0.9  // photo 3, the dog on the beach: close in meaning, no word "sofa"
        cosines[0] = 0.15  // photo 1 holds "sofa" but is far in meaning
        let engine = Self.meaningLibrary(model: "all-MiniLM-L6-v2", cosines: cosines)
        let result = try engine.search("sofa", queryVectors: ["all-MiniLM-L6-v2": [1, 0]])
        XCTAssertEqual(result.hits.map(\.id), [1, 3], "the word match first, then the one guess; chance stays out")
        XCTAssertEqual(result.hits.map(\.match), [.words, .meaning])
        XCTAssertEqual(result.mightMatch, 1)
        XCTAssertEqual(result.total, 2)
        XCTAssertEqual(result.hits[1].semantic ?? 0, 0.9, accuracy: 0.02)
        XCTAssertTrue(result.hits[1].why.contains { $0.hasPrefix("meaning") })
        // More like photo 3: the photo whose vector is nearest to its own.
        let closeness = cosines.map { (cosine: Float) -> Float in 0.9 * cosine + 0.436 * (1 - cosine * cosine).squareRoot() }
        let nearest = closeness.indices.filter { $0 != 2 }.max { closeness[$0] < closeness[$1] }!
        XCTAssertEqual(engine.similar(to: 3).hits.first?.id, Int64(nearest + 1))
    }

    func testGuessesAreCountedAlikeOnEveryPageAndKeptOutOfFacets() throws {
        var cosines = Self.chance
        cosines[2] = 0.9  // photo 3: no word "restaurant"
        cosines[35] = 0.88  // photo 36: holds "restaurant" and is close in meaning too
        let engine = Self.meaningLibrary(model: "all-MiniLM-L6-v2", cosines: cosines)
        let vectors = ["all-MiniLM-L6-v2": [Float(1), 0]]
        var seen = [SearchHit](), cursor: String?
        repeat {
            let page = try engine.search("restaurant ", limit: 7, cursor: cursor, queryVectors: vectors)
            XCTAssertEqual(page.mightMatch, 1, "the same count on every page")
            XCTAssertEqual(page.total, 37)
            seen += page.hits
            cursor = page.cursor
        } while cursor != nil
        XCTAssertEqual(seen.count, 37, "36 restaurants and one guess, each once")
        XCTAssertEqual(Set(seen.map(\.id)).count, 37)
        XCTAssertEqual(seen.last?.id, 3, "the guess after every word match")
        XCTAssertEqual(seen.filter { $0.match == .meaning }.map(\.id), [3])
        let facets = try engine.search("restaurant ", queryVectors: vectors).facets
        XCTAssertEqual(facets["label"]?["restaurant"], 36, "facets count the sure matches only: \(facets)")
        XCTAssertNil(facets["label"]?["dog"], "the guess's labels are not among them")
        let only = try engine.search("zebra", queryVectors: vectors)
        XCTAssertEqual(only.hits.map(\.id), [3, 36])
        XCTAssertEqual(only.message, "no photo holds “zebra”; 2 might match by meaning")
    }

    func testEveryVectorIndexOfTheModelIsJudgedOnItsOwnSpread() throws {
        // Photo 3 stands out only in the second index (a photo's labels as a list), which is enough.
        let documents = Self.documents + (6...40).map { SearchDocument(id: Int64($0), path: "more/\($0).jpg") }
        let flat = VectorIndex(model: "all-MiniLM-L6-v2", vectors: Self.chance.map { [$0, (1 - $0 * $0).squareRoot()] })
        var cosines = Self.chance
        cosines[2] = 0.9
        let labels = VectorIndex(model: "all-MiniLM-L6-v2:labels", vectors: cosines.map { [$0, (1 - $0 * $0).squareRoot()] })
        let engine = SearchEngine(documents: documents, vectors: [flat, labels])
        XCTAssertEqual(try engine.search("zebra", queryVectors: ["all-MiniLM-L6-v2": [1, 0]]).hits.map(\.id), [3])
    }

    func testTypedButNothingSearchableFindsNothing() throws {
        let result = try engine.search("🐱")
        XCTAssertEqual(result.hits, [])
        XCTAssertEqual(result.total, 0)
        XCTAssertTrue(result.message?.contains("nothing to search for") == true, result.message ?? "")
    }

    func testAQueryNoWordMatchesDoesNotReturnTheLibrary() throws {
        let engine = Self.meaningLibrary(model: "all-MiniLM-L6-v2", cosines: Self.chance)
        let result = try engine.search("zebra", queryVectors: ["all-MiniLM-L6-v2": [1, 0]])
        XCTAssertEqual(result.hits, [], "nothing stands out from chance")
        XCTAssertNotNil(result.message)
    }

    func testTheCutOffFollowsTheLibraryNotTheModelsScale() throws {
        // A CLIP-like model: every cosine between 0.20 and 0.28; one photo at 0.34 stands out by about 4 σ.
        var cosines = (0..<40).map { 0.2 + 0.08 * Float(($0 * 7) % 40) / 40 }
        cosines[2] = 0.34
        let clip = Self.meaningLibrary(model: "tiny-clip", cosines: cosines)
        XCTAssertEqual(try clip.search("zebra", queryVectors: ["tiny-clip": [1, 0]]).hits.map(\.id), [3])
        // The same cosines from the sentence model: 0.34 is what unrelated descriptions reach, so no guess.
        let sentences = Self.meaningLibrary(model: "all-MiniLM-L6-v2", cosines: cosines)
        XCTAssertEqual(try sentences.search("zebra", queryVectors: ["all-MiniLM-L6-v2": [1, 0]]).hits, [])
        // In a library of five no photo can stand out by 3.5 σ (at most √4 = 2 σ): no guesses at all.
        let tiny = SearchEngine(documents: Self.documents, vectors: [VectorIndex(model: "tiny-clip", vectors: [[1, 0], [0, 1], [0.9, 0.44], [0, 1], [0, 1]])])
        XCTAssertEqual(try tiny.search("zebra", queryVectors: ["tiny-clip": [1, 0]]).hits, [])
    }
}
