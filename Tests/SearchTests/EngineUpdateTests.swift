import XCTest
@testable import Search

/// An engine kept current change by change must answer exactly as one built from the final photos.
final class EngineUpdateTests: XCTestCase {
    static let words = ["cat", "dog", "beach", "sunset", "car", "red", "tabby", "lake", "mountain", "snow", "kite", "bicycle",
                        "pizza", "harbour", "market", "bridge", "tower", "garden", "flower", "river"]
    static let places = [("Lisbon", "Portugal"), ("Zürich", "Switzerland"), ("Kraków", "Poland"), ("Porto", "Portugal")]

    /// A varied photo from a seed: caption, labels, text, place, camera, people, a date of its own (so ranks never tie).
    static func document(_ id: Int64, seed: Int) -> SearchDocument {
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let caption = (0..<3).map { _ in words[next(words.count)] }.joined(separator: " ")
        let labels = (0..<next(4)).map { _ in (name: words[next(words.count)], score: Float(next(10)) / 10) }
        let place = next(5) < 4 ? places[next(places.count)] : nil
        let (year, month, day) = (2010 + Int(id) / 300, 1 + Int(id) / 25 % 12, 1 + Int(id) % 25)
        return SearchDocument(id: id, path: "\(year)/trip \(next(3))/IMG_\(id).JPG", caption: caption, labels: labels,
                              text: next(4) == 0 ? "menu \(words[next(words.count)])" : "", city: place?.0, country: place?.1,
                              make: ["Canon", "NIKON", "Apple"][next(3)], model: ["EOS 5D", "D750", "iPhone 12"][next(3)],
                              taken: String(format: "%04d-%02d-%02dT%02d:00:00", year, month, day, Int(id) % 24),
                              width: 4000, height: 3000 - next(2) * 1000, rating: next(6) - 1, faces: next(3),
                              people: seed % 5 == 0 ? ["Ada Lovelace"] : seed % 7 == 0 ? ["Ada Lovelace", "Grace Hopper"] : [])
    }

    static func vector(_ seed: Int) -> [Float] {
        let raw = (0..<16).map { Float(sin(Double(seed * 31 + $0 * 7))) }
        let length = sqrt(raw.reduce(0) { $0 + $1 * $1 })
        return raw.map { $0 / length }
    }

    static let queries = ["cat", "ca", "cat beach", "red car", "tabb", "sunst", "lisbon", "zurich", "kite -dog", "year:2010",
                          "camera:canon", "beach | snow", "\"tabby cat\"", "menu", "trip", "has:text", "faces:2", "garden place:porto",
                          "cat rating:3", "flower orientation:portrait", "person:\"ada lovelace\"", "hopper", "people:2",
                          "cat person:\"Grace Hopper\""]

    static func answers(_ engine: SearchEngine, _ query: String, meaning: [Float]?) throws -> [String] {
        let result = try engine.search(query, limit: 500, queryVectors: meaning.map { ["m": $0] } ?? [:])
        let hits = result.hits.map { "\($0.id) \(String(format: "%.4f", $0.score)) \($0.match)" }.sorted()
        return ["total \(result.total) might \(result.mightMatch)", "facets \(result.facets.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.sorted { $0.key < $1.key })" })"] + hits
    }

    func testChangesAppliedOneByOneAnswerAsABuildOfTheResult() throws {
        // The final library: 1...300, photos 1...60 changed (new content), 61...90 removed, 301...360 added.
        var final = [SearchDocument](), finalVectors = [Int64: [Float]]()
        for id in Int64(1)...360 where !(61...90).contains(id) {
            let seed = id <= 60 ? Int(id) + 10_000 : Int(id)
            final.append(Self.document(id, seed: seed))
            if id % 3 != 0 { finalVectors[id] = Self.vector(seed) }
        }
        let built = SearchEngine(documents: final, vectors: [VectorIndex(model: "m", vectors: final.map { finalVectors[$0.id] })])

        let first = (Int64(1)...300).map { Self.document($0, seed: Int($0)) }
        let updated = SearchEngine(documents: first,
                                   vectors: [VectorIndex(model: "m", vectors: first.map { $0.id % 3 != 0 ? Self.vector(Int($0.id)) : nil })])
        var updates = [EngineUpdate]()
        for id in Int64(1)...60 { updates.append(.upsert(Self.document(id, seed: Int(id) + 10_000), vectors: id % 3 != 0 ? ["m": Self.vector(Int(id) + 10_000)] : [:])) }
        for id in Int64(61)...90 { updates.append(.remove(id)) }
        for id in Int64(301)...360 { updates.append(.upsert(Self.document(id, seed: Int(id)), vectors: id % 3 != 0 ? ["m": Self.vector(Int(id))] : [:])) }
        // One at a time, as a catalogue's changes arrive.
        for update in updates { updated.apply([update]) }

        XCTAssertEqual(updated.photoCount, built.photoCount)
        XCTAssertEqual(updated.numbersUsed, 300 + 60 + 60)
        for query in Self.queries {
            XCTAssertEqual(try Self.answers(updated, query, meaning: nil), try Self.answers(built, query, meaning: nil), query)
            XCTAssertEqual(try Self.answers(updated, query, meaning: Self.vector(12_345)), try Self.answers(built, query, meaning: Self.vector(12_345)), query)
        }
        XCTAssertFalse(try updated.search("cat", limit: 500).hits.isEmpty)
        // A removed photo is found by nothing, not even its own words or "more like this".
        XCTAssertTrue(try updated.search("IMG_70", limit: 500).hits.allSatisfy { $0.id != 70 })
        XCTAssertEqual(updated.similar(to: 70).hits.count, 0)
        XCTAssertEqual(updated.similar(to: 2).hits.map(\.id), built.similar(to: 2).hits.map(\.id))
        // A photo added without a vector (its description not made yet) has nothing alike, and says so.
        XCTAssertEqual(updated.similar(to: 303).message, "this photo has no vector yet")
        XCTAssertFalse(updated.similar(to: 302).hits.isEmpty, "an added photo's vector is found")
    }

    func testAWordNoPhotoHadBeforeIsFoundAsTypedAndAsItIsBeingTyped() throws {
        let engine = SearchEngine(documents: [SearchDocument(id: 1, path: "a.jpg", caption: "a cat")])
        engine.apply([.upsert(SearchDocument(id: 2, path: "b.jpg", caption: "zeppelin over the harbour"), vectors: [:])])
        XCTAssertEqual(try engine.search("zeppelin").hits.map(\.id), [2])
        XCTAssertEqual(try engine.search("zepp").hits.map(\.id), [2])
        XCTAssertEqual(try engine.search("zepelin").hits.map(\.id), [2], "a typo of an added word")
        engine.apply([.upsert(SearchDocument(id: 2, path: "b.jpg", caption: "a dog"), vectors: [:])])
        XCTAssertEqual(try engine.search("zeppelin").hits.map(\.id), [])
        XCTAssertEqual(try engine.search("dog").hits.map(\.id), [2])
    }
}
