import Foundation
@testable import Search
import XCTest

/// The filter columns, facet codes and places, built with byte shortcuts for ASCII, against the straightforward
/// way they replaced (a folded String and a dictionary lookup per value): the same values, coded in the same order.
final class ColumnsBuildTests: XCTestCase {
    /// People in both halves of a build, some shared, one name twice in a photo (counted once).
    static let people = [SearchDocument(id: 910, path: "/p/1.jpg", people: ["Ada Lovelace", "Émile Zola"], peopleCount: 3),
                         SearchDocument(id: 911, path: "/p/2.jpg", people: ["Grace Hopper", "Ada Lovelace", "Ada Lovelace"])]
    static let documents = [people, TextIndexBuildTests.handMade, TextIndexBuildTests.generated(2000), people, TextIndexBuildTests.handMade,
                            // A place that folds to nothing, a time too short for a year, one beyond ASCII, a kelvin sign, a
                            // path of a slash alone.
                            [SearchDocument(id: 900, path: "a/b/", city: "\u{301}", taken: "201"),
                             SearchDocument(id: 901, path: "/x", caption: "K", labels: [("\u{212A}elvin", 1), ("Kelvin", 1)],
                                            region: "K", make: "\u{212A}", taken: "２０１９-01"),
                             SearchDocument(id: 902, path: "Ünïcode/ÄB.jpg", make: "K", taken: "2019\u{301}-01"),
                             SearchDocument(id: 903, path: "/")]].joined()

    /// Values the columns code that come back written otherwise (case, accents, a kelvin sign, empty or missing),
    /// labels past the eight best and below their score, stop words: a build adds a coded text's words again by its
    /// code, and must add the words the text itself has.
    static let codedAgain: [SearchDocument] = {
        // Twelve labels: three under the best labels' score, so eight of the other nine are best.
        let labels = (0..<12).map { ("label \($0 % 9)", $0 % 5 == 1 ? Float(0.29) : 0.3 + Float($0 % 3) / 10) }
        let folders = ["/a/Zürich/1.jpg", "/a/zurich/2.jpg", "/a/ZURICH/3.jpg", "4.jpg", "/The/and/5.jpg", "/a/zurich/6.jpg"]
        let values: [String?] = ["Zürich", "Zurich", "ZURICH", "", nil, "\u{212A}", "K", "k", "The Hague", "the", "Canon EOS 5D"]
        let once = (0..<33).map { index in
            SearchDocument(id: Int64(1000 + index), path: folders[index % folders.count],
                           labels: index % 3 == 0 ? labels : Array(labels.reversed().prefix(index % 5)),
                           city: values[index % values.count], region: values[(index + 3) % values.count],
                           country: values[(index + 5) % values.count], make: values[(index + 7) % values.count],
                           model: values[(index + 2) % values.count], lens: values[(index + 1) % values.count])
        }
        return once + once.reversed()
    }()

    /// Enough photos that the build splits where a text column's block ends (the second half's text joined in bulk
    /// onto the first's rows), people again in both halves.
    static var blocks: [SearchDocument] { Array(documents) + TextIndexBuildTests.generated(2200) + people }

    func testColumnsAreTheStraightforwardOnes() {
        let documents = Array(Self.documents)
        let columns = Columns(documents)
        let reference = ReferenceColumns(documents)
        func rows(_ column: CodedColumn) -> [String] { (0..<column.count).map { column[$0] } }
        XCTAssertEqual((0..<columns.count).map { columns.names[$0] }, reference.names)
        for (column, expected) in [(columns.folders, reference.folders), (columns.make, reference.make), (columns.model, reference.model),
                                   (columns.lens, reference.lens), (columns.city, reference.city), (columns.region, reference.region),
                                   (columns.country, reference.country), (columns.topLabels.words, reference.topLabels)] {
            XCTAssertEqual(column.names, expected.names)
            XCTAssertEqual(column.codes, expected.codes)
        }
        XCTAssertEqual(columns.topLabels.starts, reference.topLabelStarts)
        XCTAssertEqual(columns.recency, documents.map { Columns.recency($0.taken) })
        XCTAssertEqual(SearchEngine.places(documents, columns), Set(documents.flatMap(\.foldedPlaces)))
        XCTAssertTrue(SearchEngine.places(documents, columns).contains(""))
    }

    func testFacetCodesAreTheStraightforwardOnes() {
        let documents = Array(Self.documents)
        let facets = FacetColumns(Columns(documents))
        let reference = ReferenceColumns(documents)
        for (field, expected) in [(facets.year, reference.year), (facets.camera, reference.camera), (facets.place, reference.place),
                                  (facets.type, reference.type)] {
            XCTAssertEqual(field.names, expected.names)
            XCTAssertEqual(field.codes, expected.codes)
        }
        // Labels are counted from the photos' own best labels: the same counts as the straightforward codes give.
        let columns = Columns(documents)
        var expected = [String: Int]()
        for document in documents.indices {
            for entry in Int(reference.labelStart[document])..<Int(reference.labelStart[document + 1]) {
                expected[reference.labels.names[Int(reference.labels.codes[entry])], default: 0] += 1
            }
        }
        let top = expected.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(15)
        XCTAssertFalse(top.isEmpty)
        XCTAssertEqual(facets.counts(Array(documents.indices)[...], labels: columns.topLabels, people: columns.people)["label"],
                       Dictionary(uniqueKeysWithValues: top.map { ($0.key, $0.value) }))
        XCTAssertTrue(facets.year.names.contains("2019"))
    }

    /// The engine codes each half of the photos on its own and recodes the second into the first: the columns of
    /// one pass over all of them, and a photo appended afterwards coded as that pass would code it.
    func testHalvesJoinedAreOnePass() {
        XCTAssertGreaterThanOrEqual(Self.blocks.count, 2 * TextColumn.blockRows)
        for documents in [Array(Self.documents), Array(Self.documents.reversed()), Array(Self.documents.prefix(3)), Self.blocks] {
            let joined = SearchEngine(documents: documents).columns, whole = Columns(documents)
            for (column, expected) in [(joined.folders, whole.folders), (joined.make, whole.make), (joined.model, whole.model),
                                       (joined.lens, whole.lens), (joined.city, whole.city), (joined.region, whole.region),
                                       (joined.country, whole.country), (joined.format, whole.format),
                                       (joined.orientation, whole.orientation), (joined.topLabels.words, whole.topLabels.words),
                                       (joined.people.words, whole.people.words)] {
                XCTAssertEqual(column.names, expected.names)
                XCTAssertEqual(column.codes, expected.codes)
            }
            for (column, expected) in [(joined.paths, whole.paths), (joined.captions, whole.captions), (joined.names, whole.names),
                                       (joined.taken, whole.taken)] {
                XCTAssertEqual(column.bytes, expected.bytes)
                XCTAssertEqual(column.ends, expected.ends)
            }
            XCTAssertEqual(joined.topLabels.starts, whole.topLabels.starts)
            XCTAssertEqual(joined.people.starts, whole.people.starts)
            XCTAssertEqual(joined.foldedPeople, whole.foldedPeople)
            XCTAssertEqual(joined.peopleCount, whole.peopleCount)
            XCTAssertEqual(joined.ids, whole.ids)
            XCTAssertEqual(joined.recency, whole.recency)
            XCTAssertEqual(joined.takenKeys, whole.takenKeys)
            XCTAssertEqual(joined.hasText, whole.hasText)
            var (later, wholeLater) = (joined, whole)
            for document in TextIndexBuildTests.handMade {
                later.append(document)
                wholeLater.append(document)
            }
            XCTAssertEqual(later.make.codes, wholeLater.make.codes)
            XCTAssertEqual(later.folders.codes, wholeLater.folders.codes)
        }
    }

    /// The engine's build, its halves' columns joined while the text index is laid out, holds the index
    /// `TextIndex(documents)` builds (itself held to `ReferenceIndex` in `TextIndexBuildTests`), the facets and places
    /// of the columns built in one pass, and finds each photo id at its number (a repeated id at its last).
    func testTheEngineBuildIsItsParts() {
        for documents in [Array(Self.documents), Array(Self.documents.reversed()), [], [TextIndexBuildTests.handMade[1]], Self.blocks,
                          Self.codedAgain] {
            let engine = SearchEngine(documents: documents), index = TextIndex(documents)
            XCTAssertEqual(engine.index.terms, index.terms)
            XCTAssertEqual(engine.index.termBytes, index.termBytes)
            XCTAssertEqual(engine.index.lettersOnly, index.lettersOnly)
            XCTAssertEqual(engine.index.postingStart, index.postingStart)
            XCTAssertEqual(engine.index.postingDocs, index.postingDocs)
            XCTAssertEqual(engine.index.postingWeights, index.postingWeights)
            XCTAssertEqual(engine.index.postingFields, index.postingFields)
            XCTAssertEqual(engine.index.forwardStart, index.forwardStart)
            XCTAssertEqual(engine.index.forwardTerms, index.forwardTerms)
            XCTAssertEqual(engine.index.forwardWeights, index.forwardWeights)
            XCTAssertEqual(engine.index.forwardFields, index.forwardFields)
            XCTAssertEqual(engine.columns.recency, documents.map { Columns.recency($0.taken) })
            let whole = Columns(documents), facets = FacetColumns(whole)
            for (field, expected) in [(engine.facetColumns.year, facets.year), (engine.facetColumns.camera, facets.camera),
                                      (engine.facetColumns.place, facets.place), (engine.facetColumns.type, facets.type)] {
                XCTAssertEqual(field.names, expected.names)
                XCTAssertEqual(field.codes, expected.codes)
            }
            XCTAssertEqual(engine.parser.places, SearchEngine.places(documents, whole))
            let last = Dictionary(documents.indices.map { (documents[$0].id, $0) }) { _, later in later }
            XCTAssertEqual(engine.numbers.count, last.count)
            for (id, number) in last { XCTAssertEqual(engine.numbers[id], number) }
        }
    }

    /// Photos appended one at a time after a build get the codes a build of all of them gives.
    func testAppendingAfterABuildCodesAsTheBuild() {
        let documents = Array(Self.documents)
        var columns = Columns(Array(documents.prefix(1000)))
        var facets = FacetColumns(columns)
        for document in documents.dropFirst(1000) {
            columns.append(document)
            facets.append(columns, columns.count - 1)
        }
        let whole = Columns(documents), wholeFacets = FacetColumns(whole)
        XCTAssertEqual(columns.folders.codes, whole.folders.codes)
        XCTAssertEqual(columns.topLabels.words.codes, whole.topLabels.words.codes)
        XCTAssertEqual(facets.camera.codes, wholeFacets.camera.codes)
        XCTAssertEqual(facets.year.codes, wholeFacets.year.codes)
    }
}

/// The columns as they were built before: a folded String per value, numbered in a dictionary as first seen.
private struct ReferenceColumns {
    struct Coded {
        var names = [String]()
        var codes = [UInt32]()
        var numbers = [String: UInt32]()

        mutating func append(_ value: String) {
            if numbers[value] == nil {
                numbers[value] = UInt32(names.count)
                names.append(value)
            }
            codes.append(numbers[value]!)
        }
    }

    struct Facet {
        var names = [String]()
        var codes = [Int32]()
        var numbers = [String: Int32]()

        mutating func code(_ value: String) -> Int32 {
            guard !value.isEmpty else { return -1 }
            if numbers[value] == nil {
                numbers[value] = Int32(names.count)
                names.append(value)
            }
            return numbers[value]!
        }
    }

    var names = [String]()
    var folders = Coded(), make = Coded(), model = Coded(), lens = Coded(), city = Coded(), region = Coded(), country = Coded()
    var topLabels = Coded()
    var topLabelStarts = [0]
    var year = Facet(), camera = Facet(), place = Facet(), type = Facet(), labels = Facet()
    var labelStart: [Int32] = [0]

    init(_ documents: [SearchDocument]) {
        func folded(_ value: String?) -> String { value.map(Folding.fold) ?? "" }
        for document in documents {
            let slash = document.path.lastIndex(of: "/")
            folders.append(slash.map { Folding.fold(String(document.path[..<$0])) } ?? "")
            names.append(Folding.fold(slash.map { String(document.path[document.path.index(after: $0)...]) } ?? document.path))
            make.append(folded(document.make))
            model.append(folded(document.model))
            lens.append(folded(document.lens))
            city.append(folded(document.city))
            region.append(folded(document.region))
            country.append(folded(document.country))
            let best = document.labels.filter { $0.score >= 0.3 }.prefix(8).map { Folding.fold($0.name) }
            for label in best { topLabels.append(label) }
            topLabelStarts.append(topLabels.codes.count)
            let taken = document.taken ?? ""
            year.codes.append(year.code(taken.count >= 4 ? String(taken.prefix(4)) : ""))
            camera.codes.append(camera.code(folded(document.model)))
            place.codes.append(place.code(folded(document.city)))
            type.codes.append(type.code(document.format))
            for label in best where !label.isEmpty { labels.codes.append(labels.code(label)) }
            labelStart.append(Int32(labels.codes.count))
        }
    }
}
