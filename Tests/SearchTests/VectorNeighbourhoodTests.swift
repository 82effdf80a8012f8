@testable import Search
import XCTest

/// The neighbourhoods (IVF) against the exact scan of the same rows, on vectors clustered as descriptions are.
final class VectorNeighbourhoodTests: XCTestCase {
    /// Unit vectors of 64 dimensions around 40 centres (cosine with the centre about 0.7), from a fixed seed.
    struct Clusters {
        var state: UInt64
        private(set) var centres = [[Float]]()

        init(seed: UInt64, centres count: Int = 40) {
            state = seed
            for _ in 0..<count { centres.append(uniform(1)) }
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func uniform(_ half: Float) -> [Float] {
            Self.unit((0..<64).map { _ in (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * half })
        }

        /// Noise 1: a cosine of about 0.7 with the centre, 0.5 with another photo of it; 0.5: about 0.9 and 0.8.
        mutating func photo(near centre: Int? = nil, noise: Float = 1) -> [Float] {
            let centre = centres[centre ?? Int(next() % UInt64(centres.count))]
            return Self.unit(zip(centre, uniform(noise)).map { $0 + $1 })
        }

        static func unit(_ vector: [Float]) -> [Float] {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
    }

    func testTheNearestNeighbourhoodsHoldNearlyAllOfTheExactNearest() {
        var clusters = Clusters(seed: 11, centres: 30)  // about 130 photos a centre: the top 100 lie in it
        let index = VectorIndex(model: "test", vectors: (0..<4000).map { _ in clusters.photo() }, approximateFrom: 0)
        XCTAssertTrue(index.isApproximate)
        XCTAssertEqual(index.neighbourhoodCount, 63, "about the square root of the rows")
        var found = 0
        for _ in 0..<50 {
            let query = clusters.photo()
            let exact = index.exactNearest(query, limit: 100) { _ in true }
            // Six of 63 neighbourhoods: about a tenth of the rows read.
            let approximate = index.approximateNearest(query, limit: 100, searched: 6)
            XCTAssertEqual(approximate.count, 100)
            XCTAssertEqual(approximate.map(\.similarity), approximate.map(\.similarity).sorted(by: >), "best first")
            let similarities = Dictionary(uniqueKeysWithValues: exact.map { ($0.row, $0.similarity) })
            let hits = approximate.filter { similarities[$0.row] != nil }
            XCTAssertTrue(hits.allSatisfy { similarities[$0.row] == $0.similarity }, "the same measure as the exact scan")
            found += hits.count
        }
        XCTAssertGreaterThanOrEqual(Double(found) / 5000, 0.95, "recall of the top 100 against the exact scan")
    }

    /// The spread the cut-off is judged on comes from a copy of the sampled rows: it must follow every change
    /// of a sampled photo and every growth of the library to a new stride, as reading the rows in place did.
    func testTheSpreadFollowsChangedRemovedAndAddedPhotos() {
        var clusters = Clusters(seed: 13)
        var index = VectorIndex(model: "test", vectors: (0..<9000).map { _ in clusters.photo() }, approximateFrom: 0)
        let query = clusters.photo()
        // Every `count / spreadSample`-th photo number with a vector, as the index keeps them, in Double.
        func expected() -> (mean: Double, deviation: Double) {
            let step = max(1, index.count / VectorIndex.spreadSample)
            let sample = stride(from: 0, to: index.count, by: step).filter(index.hasVector).map { photo in
                zip(index.vector(photo), query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            let mean = sample.reduce(0, +) / Double(sample.count)
            return (mean, (sample.reduce(0) { $0 + $1 * $1 } / Double(sample.count) - mean * mean).squareRoot())
        }
        func check(_ moment: String) {
            let spread = index.spread(query), wanted = expected()
            XCTAssertEqual(Double(spread.mean), wanted.mean, accuracy: 1e-5, moment)
            XCTAssertEqual(Double(spread.deviation), wanted.deviation, accuracy: 1e-5, moment)
        }
        check("built")
        // Sampled photos (multiples of the stride, 2 at 9,000 photos) changed to the query itself and removed.
        for photo in stride(from: 0, to: 600, by: 2) { index.assign(query, to: photo) }
        check("sampled photos changed")
        for photo in stride(from: 600, to: 1200, by: 2) { index.assign(nil, to: photo) }
        check("sampled photos removed")
        // A photo numbered 12,299 makes 12,300 photo numbers: the stride becomes 3, another set of photos.
        index.assign(clusters.photo(), to: 12_299)
        check("grown to a new stride")
    }

    func testARemovedRowIsNeverFound() {
        var clusters = Clusters(seed: 12)
        let vectors = (0..<2000).map { _ in clusters.photo(near: 3) }
        var index = VectorIndex(model: "test", vectors: vectors, approximateFrom: 0)
        let removed = Array(stride(from: 0, to: 2000, by: 7))
        for row in removed { index.assign(nil, to: row) }
        XCTAssertEqual(index.count, 2000, "removing keeps the row numbers")
        for row in removed.prefix(40) {
            // Each removed row's own vector: it would be first if it were still there.
            let found = index.approximateNearest(vectors[row], limit: 200).map(\.row)
            XCTAssertEqual(found.count, 200)
            XCTAssertTrue(Set(found).isDisjoint(with: removed), "row \(row)")
            XCTAssertFalse(index.exactNearest(vectors[row], limit: 200) { _ in true }.contains { $0.row == row })
        }
        // Brought back, it is found again.
        index.assign(vectors[removed[0]], to: removed[0])
        XCTAssertEqual(index.approximateNearest(vectors[removed[0]], limit: 1).first?.row, removed[0])
    }

    func testOverwritingARowMovesIt() {
        var clusters = Clusters(seed: 13)
        let vectors = (0..<2000).map { clusters.photo(near: $0 % 2) }
        var index = VectorIndex(model: "test", vectors: vectors, approximateFrom: 0)
        let moved = 100, elsewhere = clusters.photo(near: 7)  // no other photo is near centre 7
        XCTAssertEqual(index.approximateNearest(vectors[moved], limit: 1).first?.row, moved)
        index.assign(elsewhere, to: moved)
        XCTAssertEqual(index.approximateNearest(elsewhere, limit: 1).first?.row, moved, "found where it went")
        XCTAssertEqual(index.approximateNearest(elsewhere, limit: 1).first?.similarity ?? 0, 1, accuracy: 0.01)
        XCTAssertFalse(index.approximateNearest(vectors[moved], limit: 100).contains { $0.row == moved }, "not where it was")
        XCTAssertEqual(index.vector(moved).count, 64)
    }

    func testAppendedRowsArePlacedAndNeighbourhoodsComeAtTheirSize() {
        var clusters = Clusters(seed: 14)
        var index = VectorIndex(model: "test", vectors: (0..<500).map { _ in clusters.photo() }, approximateFrom: 800)
        XCTAssertFalse(index.isApproximate, "below its size the index scans")
        for row in 500..<1200 { index.assign(row % 10 == 0 ? nil : clusters.photo(), to: row) }
        XCTAssertTrue(index.isApproximate, "learnt once, when the rows reached 800")
        XCTAssertEqual(index.count, 1200)
        for row in [851, 1101, 1199] {
            XCTAssertEqual(index.approximateNearest(index.vector(row), limit: 1).first?.row, row, "an appended row is found")
        }
        XCTAssertFalse(index.approximateNearest(clusters.photo(), limit: 300).contains { $0.row % 10 == 0 && $0.row >= 500 },
                       "rows appended without a vector are never found")
    }

    func testSavedNeighbourhoodsComeBackWithoutARebuild() throws {
        var clusters = Clusters(seed: 15)
        let vectors = (0..<1500).map { _ in clusters.photo() }
        let engine = Self.library(vectors, approximateFrom: 0)
        engine.apply([.remove(3), .upsert(SearchDocument(id: 9000, path: "p/new.jpg", labels: [("photo", 0.5)]), vectors: ["clip": vectors[3]])])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neighbourhoods-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try SnapshotWriter(path: path)
        try engine.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        let loaded = try SearchEngine(&reader)
        let saved = try XCTUnwrap(engine.vectors["clip"]), back = try XCTUnwrap(loaded.vectors["clip"])
        XCTAssertEqual(back.neighbourhoods?.centres, try XCTUnwrap(saved.neighbourhoods).centres, "the centres as learnt, not learnt again")
        XCTAssertEqual(back.lists.map(\.photos), saved.lists.map(\.photos), "each list's photos in the order they were kept")
        XCTAssertEqual(back.lists.map(\.scales), saved.lists.map(\.scales))
        XCTAssertEqual(back.lists.map(\.values), saved.lists.map(\.values))
        XCTAssertEqual(back.count, saved.count)
        XCTAssertFalse(back.hasVector(2), "the removed photo's row is in no neighbourhood")
        Self.assertEveryRowOnce(back)
        for _ in 0..<10 {
            let query = ["clip": clusters.photo()]
            XCTAssertEqual(try loaded.search("photo", limit: 50, queryVectors: query).hits.map(\.id),
                           try engine.search("photo", limit: 50, queryVectors: query).hits.map(\.id))
        }
        XCTAssertEqual(loaded.similar(to: 9000, limit: 5).hits.map(\.id), engine.similar(to: 9000, limit: 5).hits.map(\.id))
    }

    /// Every row is where its photo's place says, each photo's row is in one list only, and every photo with a
    /// vector has one.
    static func assertEveryRowOnce(_ index: VectorIndex, file: StaticString = #filePath, line: UInt = #line) {
        var seen = Set<UInt32>()
        for (list, rows) in index.lists.enumerated() {
            XCTAssertEqual(rows.values.count, rows.count * index.dimensions, file: file, line: line)
            for (slot, photo) in rows.photos.enumerated() {
                XCTAssertTrue(seen.insert(photo).inserted, "photo \(photo) in two places", file: file, line: line)
                XCTAssertEqual(index.places[Int(photo)].list, Int32(list), file: file, line: line)
                XCTAssertEqual(index.places[Int(photo)].slot, UInt32(slot), file: file, line: line)
            }
        }
        XCTAssertEqual(seen.count, (0..<index.count).filter(index.hasVector).count, file: file, line: line)
    }

    func testARowMovedBetweenNeighbourhoodsIsFoundOnce() throws {
        var clusters = Clusters(seed: 18)
        let vectors = (0..<3000).map { clusters.photo(near: $0 % 20) }
        var index = VectorIndex(model: "test", vectors: vectors, approximateFrom: 0)
        let moved = 40, before = index.places[40].list, slot = index.places[40].slot
        let last = Int(try XCTUnwrap(index.lists[Int(before)].photos.last))
        XCTAssertNotEqual(last, moved)
        // Near centre 21, which no photo is near: its row must leave its list for another.
        let elsewhere = clusters.photo(near: 21, noise: 0.3)
        index.assign(elsewhere, to: moved)
        XCTAssertNotEqual(index.places[moved].list, before, "moved to another neighbourhood")
        Self.assertEveryRowOnce(index)
        // Searched in every neighbourhood, the photo appears once, with its new vector's similarity.
        let everywhere = index.approximateNearest(elsewhere, limit: 3000, searched: index.neighbourhoodCount)
        XCTAssertEqual(everywhere.filter { $0.row == moved }.count, 1)
        XCTAssertEqual(everywhere.first?.row, moved)
        XCTAssertEqual(everywhere.first?.similarity ?? 0, 1, accuracy: 0.01)
        XCTAssertEqual(Set(everywhere.map(\.row)).count, 3000, "every photo once")
        // The old list's last row took its slot, and is still found with its own vector.
        XCTAssertEqual(index.places[last].slot, slot)
        XCTAssertEqual(index.approximateNearest(vectors[last], limit: 1).first?.row, last)
        // Moved back, still once.
        index.assign(vectors[moved], to: moved)
        Self.assertEveryRowOnce(index)
        XCTAssertEqual(index.exactNearest(vectors[moved], limit: 3000) { _ in true }.filter { $0.row == moved }.count, 1)
    }

    func testRemovedRowsAreNeverReturnedAndTheRestKeepTheirVectors() {
        var clusters = Clusters(seed: 19)
        let vectors = (0..<2500).map { _ in clusters.photo() }
        var index = VectorIndex(model: "test", vectors: vectors, approximateFrom: 0)
        // Removing from the front of lists moves each list's last row into the gap, again and again.
        let removed = Set((0..<2500).filter { $0 % 3 == 0 })
        for photo in removed.sorted() { index.assign(nil, to: photo) }
        Self.assertEveryRowOnce(index)
        let all = index.approximateNearest(clusters.photo(), limit: 2500 - removed.count, searched: index.neighbourhoodCount)
        XCTAssertEqual(Set(all.map(\.row)), Set(0..<2500).subtracting(removed), "exactly the photos kept")
        for photo in stride(from: 1, to: 2500, by: 97) where !removed.contains(photo) {
            XCTAssertEqual(index.vector(photo).count, 64)
            let cosine = zip(index.vector(photo), vectors[photo]).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(cosine, 1, accuracy: 0.01, "photo \(photo) keeps its own vector after rows moved")
        }
        XCTAssertEqual(index.vector(3), [], "a removed photo has no vector")
    }

    func testTheLoadedLayoutIsCheckedAgainstItsPhotos() {
        var clusters = Clusters(seed: 20)
        let index = VectorIndex(model: "test", vectors: (0..<300).map { _ in clusters.photo() }, approximateFrom: 0)
        let centres = index.neighbourhoods!.centres
        XCTAssertNotNil(VectorIndex(model: "test", dimensions: 64, count: 300, lists: index.lists, centres: centres))
        XCTAssertNil(VectorIndex(model: "test", dimensions: 64, count: 299, lists: index.lists, centres: centres), "a photo beyond the library")
        var twice = index.lists
        twice[0] = twice[1]
        XCTAssertNil(VectorIndex(model: "test", dimensions: 64, count: 300, lists: twice, centres: centres), "a photo in two lists")
        XCTAssertNil(VectorIndex(model: "test", dimensions: 64, count: 300, lists: Array(index.lists.dropLast()), centres: centres),
                     "a list short of the centres")
    }

    /// One photo per vector, each labelled "photo", and "odd" one in two hundred (the hundredth, the 300th…).
    static func library(_ vectors: [[Float]], approximateFrom: Int) -> SearchEngine {
        let documents = vectors.indices.map {
            SearchDocument(id: Int64($0 + 1), path: "p/\($0).jpg", labels: [("photo", 0.5)] + ($0 % 200 == 100 ? [("odd", 0.5)] : []))
        }
        return SearchEngine(documents: documents, vectors: [VectorIndex(model: "clip", vectors: vectors, approximateFrom: approximateFrom)])
    }

    func testGuessesFromTheNeighbourhoodsAreTheExactScansGuesses() throws {
        var clusters = Clusters(seed: 16)
        // Thirty photos close around centre 5, the rest around 30 others: those thirty stand out for a query there.
        let vectors = (0..<3000).map { $0 % 100 == 0 ? clusters.photo(near: 5, noise: 0.5) : clusters.photo(near: 6 + $0 % 30) }
        let exact = Self.library(vectors, approximateFrom: .max), approximateEngine = Self.library(vectors, approximateFrom: 0)
        let query = ["clip": clusters.photo(near: 5, noise: 0.5)]
        let expected = try exact.search("zebra", limit: 50, queryVectors: query)
        XCTAssertGreaterThan(expected.mightMatch, 20, "most of the thirty near centre 5 stand out")
        XCTAssertLessThanOrEqual(expected.mightMatch, 30, "and nothing else")
        let approximate = try approximateEngine.search("zebra", limit: 50, queryVectors: query)
        XCTAssertEqual(approximate.hits.map(\.id), expected.hits.map(\.id))
        XCTAssertEqual(approximate.mightMatch, expected.mightMatch)
        // An excluded word is kept out of the neighbourhoods' scan too.
        let filtered = try approximateEngine.search("zebra -odd", limit: 50, queryVectors: query)
        XCTAssertTrue(filtered.hits.allSatisfy { $0.id % 200 != 101 }, "no photo holding the excluded word")
        XCTAssertLessThan(filtered.mightMatch, expected.mightMatch)
        XCTAssertEqual(filtered.hits.map(\.id), try exact.search("zebra -odd", limit: 50, queryVectors: query).hits.map(\.id))
        XCTAssertEqual(approximateEngine.similar(to: 1, limit: 10).hits.map(\.id), exact.similar(to: 1, limit: 10).hits.map(\.id))
    }

    func testASmallLibraryIsScannedExactly() throws {
        var clusters = Clusters(seed: 17)
        let vectors = (0..<600).map { _ in clusters.photo() }
        let engine = Self.library(vectors, approximateFrom: VectorIndex.scanIsFasterBelow)
        XCTAssertFalse(try XCTUnwrap(engine.vectors["clip"]).isApproximate)
        let query = vectors[0]
        let scores = engine.meaningScores(["clip": query])
        XCTAssertEqual(scores.count, 600, "every photo scored")
        // The cut-off's spread over every photo, from the float vectors: what the scan gives, to quantisation.
        let cosines = vectors.map { zip($0, query).reduce(0) { $0 + $1.0 * $1.1 } }
        let mean = cosines.reduce(0, +) / 600
        let deviation = (cosines.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 600).squareRoot()
        for (row, cosine) in cosines.enumerated() {
            let score = try XCTUnwrap(scores[Int64(row + 1)])
            XCTAssertEqual(score.similarity, cosine, accuracy: 0.02)
            XCTAssertEqual(score.standOut, (cosine - mean) / deviation, accuracy: 0.1)
        }
        let top = try engine.search("zebra", limit: 100, queryVectors: ["clip": query]).hits
        let expected = cosines.indices.filter { (cosines[$0] - mean) / deviation >= MeaningCutoff.standOut + 0.1 }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertTrue(Set(expected.map { Int64($0 + 1) }).isSubset(of: top.map(\.id)), "every photo well above the cut-off is shown")
    }
}
