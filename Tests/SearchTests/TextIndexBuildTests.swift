import Foundation
@testable import Search
import XCTest

/// The fast, two-core index build against the straightforward one it replaced (dictionaries per photo, a String
/// per word, a closure sort per word): the same words, postings in the same order, the same weights and fields.
final class TextIndexBuildTests: XCTestCase {
    static let handMade: [SearchDocument] = [
        SearchDocument(id: 1, path: "2019/2019-07 Lisbon/IMG_0001.JPG", caption: "A cat on the sofa, the CAT's sofa",
                       labels: [("cat", 0.9), ("sofa", 0.1), ("Pet", 0.8)], text: "CAT cafe 2019", city: "Lisbon",
                       country: "Portugal", make: "Canon", model: "Canon EOS 400D DIGITAL", taken: "2019-07-14T18:30:00"),
        // Diacritics in every field, the same word with and without them, and in two Unicode forms.
        SearchDocument(id: 2, path: "2021/2021-06 Zürich/PXL_20210602_101010123.jpg", caption: "Café in Zürich, cafe by the lake",
                       labels: [("Café", 1), ("cafe\u{301}", 0.4)], text: "ÉVORA ÉVORA évora", city: "Zürich", region: "Zürich",
                       country: "Switzerland", make: "Google", model: "Pixel 6", lens: "Ｆ１．８ wide", taken: "2021-06-02T10:10:10"),
        // Everything empty.
        SearchDocument(id: 3, path: ""),
        SearchDocument(id: 4, path: "no-slash-at-all DSC04742.JPG", caption: "   ", labels: [("", 1)], text: "",
                       city: "", region: nil, country: "", make: "", model: "", lens: ""),
        // Camera counters: long digit runs are not words in a file name, but are elsewhere.
        SearchDocument(id: 5, path: "2024/DSCN0010/DSC04742.JPG", caption: "DSC04742 12345 and 1234",
                       text: "PXL_20210714_183412345", make: "NIKON", model: "COOLPIX P7000", taken: "2024"),
        // Scripts without case, emoji, a slash carrying a combining mark, and stop words alone.
        SearchDocument(id: 6, path: "東京/写真 2020/a\u{338}/IMG 1.jpg", caption: "東京 タワー 🐱 🐱🐶 Ελλάδα ΕΛΛΆΔΑ",
                       labels: [("the", 1), ("of", 0.5), ("photo", 0.9)], text: "straße STRASSE ǅemal", city: "東京",
                       country: "日本", taken: "2020-01-01T00:00:00"),
        SearchDocument(id: 7, path: "2019/2019-07 Lisbon/IMG_0002.JPG", caption: "cat cat cat", labels: [("cat", 0.05)],
                       taken: "2019-07-14T18:30:00"),
        SearchDocument(id: 8, path: "2019/2019-07 Lisbon/IMG_0003.JPG", caption: "cat", taken: "2019-07-14T18:30:00"),
    ]

    /// A text of `count` different words ("qaa qab …"), at most 676.
    static func distinctWords(_ count: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<count).map { (index: Int) -> String in "q" + String(letters[index / 26]) + String(letters[index % 26]) }
            .joined(separator: " ")
    }

    /// Many photos from a small vocabulary: long posting lists (the counting sort), ties in weight and time.
    static func generated(_ count: Int) -> [SearchDocument] {
        var random = SplitMix(seed: 7)
        let words = ["cat", "Dog", "beach", "BEACH", "Zürich", "zurich", "café", "the", "and", "sunset", "IMG", "2019", "a1b2",
                     "Évora", "naïve", "sea", "tree", "red", "Red", "x", "DSC", "mountain", "lake", "東京", "über", "snow"]
        func text(_ most: Int) -> String {
            (0..<random.next(most + 1)).map { _ in words[random.next(words.count)] }.joined(separator: random.next(3) == 0 ? ", " : " ")
        }
        func maybe(_ value: String) -> String? { random.next(4) == 0 ? nil : value }
        return (0..<count).map { index in
            let year = 2015 + random.next(4)
            return SearchDocument(
                id: Int64(index + 100), path: "\(year)/\(text(2))/\(["IMG_", "DSC0", "PXL_2021"][random.next(3)])\(random.next(100_000)).jpg",
                caption: text(8), labels: (0..<random.next(4)).map { _ in (words[random.next(words.count)], Float(random.next(11)) / 10) },
                text: random.next(3) == 0 ? text(5) : "", city: maybe(["Lisbon", "Zürich", "Évora"][random.next(3)]),
                region: maybe(text(1)), country: maybe(["Portugal", "Schweiz"][random.next(2)]), make: maybe("Canon"),
                model: maybe(text(2)), lens: maybe(text(1)),
                taken: random.next(5) == 0 ? nil : "\(year)-0\(1 + random.next(9))-1\(random.next(10))T1\(random.next(10)):00:00")
        }
    }

    func testFastBuildIsTheStraightforwardOne() {
        // A photo with far more words than any other (300 in its caption): first, between others, and twice.
        let wordy = SearchDocument(id: 50, path: "w/1.jpg", caption: Self.distinctWords(300))
        // Photos alike in time, words and weights: which half of the photos lays each out is decided by number alone.
        let alike = (0..<6).map { SearchDocument(id: Int64(60 + $0), path: "a/\($0).jpg", caption: "cat", taken: "2020-01-01T00:00:00") }
        // Photos without a word, alone, last, and among others across the layout's blocks of photos.
        let bare = SearchDocument(id: 80, path: "")
        for documents in [Self.handMade, Self.generated(3001), Self.handMade + Self.generated(500) + Self.handMade, [], [Self.handMade[1]],
                          [wordy, Self.handMade[0]], [Self.handMade[0], wordy, wordy], alike, alike + [Self.handMade[0]] + alike, [bare],
                          [Self.handMade[0], bare], Self.generated(15) + [bare, bare] + Self.generated(40) + [bare]] {
            let index = TextIndex(documents)
            let reference = ReferenceIndex(documents)
            XCTAssertEqual(index.terms, reference.terms)
            XCTAssertEqual(index.termBytes, reference.termBytes)
            XCTAssertEqual(index.lettersOnly, reference.lettersOnly)
            XCTAssertEqual(index.postingStart, reference.postingStart)
            XCTAssertEqual(index.postingDocs, reference.postingDocs)
            XCTAssertEqual(index.postingWeights, reference.postingWeights)
            XCTAssertEqual(index.postingFields, reference.postingFields)
            XCTAssertEqual(index.forwardStart, reference.forwardStart)
            XCTAssertEqual(index.forwardTerms, reference.forwardTerms)
            XCTAssertEqual(index.forwardWeights, reference.forwardWeights)
            XCTAssertEqual(index.forwardFields, reference.forwardFields)
        }
    }

    func testTheGeneratedPhotosReachTheCountingSort() {
        let index = TextIndex(Self.generated(3001))
        let longest = (0..<index.terms.count).map(index.documentFrequency).max() ?? 0
        XCTAssertGreaterThan(longest, 1000)
        XCTAssertGreaterThan(Set(index.postingWeights).count, 10)
    }

    /// What adding one photo will call gives that photo's entries in the bulk build.
    func testOnePhotoWeighedAloneIsItsPartOfTheBuild() {
        let documents = Self.handMade + Self.generated(200)
        let index = TextIndex(documents)
        var words = PhotoWords()
        for (number, document) in documents.enumerated() {
            TextIndex.weigh(document, into: &words)
            let alone = (0..<words.count).map { (words.word($0), TextIndex.quantise(words.weights[$0]), words.fields[$0]) }
                .sorted { $0.0 < $1.0 }
            let inBuild = (index.forwardStart[number]..<index.forwardStart[number + 1]).map {
                (index.terms[Int(index.forwardTerms[$0])], index.forwardWeights[$0], index.forwardFields[$0])
            }
            XCTAssertEqual(alone.map(\.0), inBuild.map(\.0), "photo \(document.id)")
            XCTAssertEqual(alone.map(\.1), inBuild.map(\.1), "photo \(document.id)")
            XCTAssertEqual(alone.map(\.2), inBuild.map(\.2), "photo \(document.id)")
        }
    }

    func testWeightsAreTheRules() throws {
        let index = TextIndex([Self.handMade[0]])
        func entry(_ word: String) throws -> (weight: Float, fields: UInt8) {
            let term = try XCTUnwrap(index.exact(Array(word.utf8)))
            return (TextIndex.weight(index.postingWeights[index.postings(term).lowerBound]), index.postingFields[index.postings(term).lowerBound])
        }
        // Caption (3) + labels + text: the best field and 0.25 for each further one.
        XCTAssertEqual(try entry("cat").weight, 3.5)
        XCTAssertEqual(try entry("cat").fields, SearchField.caption.bit | SearchField.labels.bit | SearchField.text.bit)
        // The sofa label's score (0.1) is raised to 0.2: 2.5 × 0.2 is below the caption's 3.
        XCTAssertEqual(try entry("sofa").weight, 3.25)
        XCTAssertEqual(try entry("pet").weight, 2)
        XCTAssertNil(index.exact(Array("the".utf8)))
        XCTAssertNotNil(index.exact(Array("0001".utf8)))
    }

    /// ASCII is folded without Foundation now: it must be what Foundation's folding gives.
    func testASCIIFoldingIsFoundations() {
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        let foundation = { (text: String) in
            text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        }
        XCTAssertEqual(Folding.fold(every), foundation(every))
        for text in ["2022-12 Lisbon", "Canon EOS 400D DIGITAL", "IMG_0001.JPG", "\r\n\t ~`^", ""] {
            XCTAssertEqual(Folding.fold(text), foundation(text))
        }
        XCTAssertEqual(Folding.fold("Évora"), "evora")
    }

    /// A word's hash read with its tail in one load is the hash byte by byte, whatever follows the word.
    func testThePaddedHashIsTheHash() {
        let text = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var hashes = Set<UInt64>()
        for count in 0...text.count - 7 {
            for after: UInt8 in [0, 0xFF, 0x41] {
                let padded = Array(text.prefix(count)) + [UInt8](repeating: after, count: 7)
                padded.withUnsafeBufferPointer { buffer in
                    let word = UnsafeBufferPointer(rebasing: buffer[..<count])
                    let plain = Array(text.prefix(count)).withUnsafeBufferPointer { WordHash.of($0) }
                    XCTAssertEqual(WordHash.of(padded: word), plain, "\(count) bytes")
                    hashes.insert(plain)
                }
            }
        }
        // Every length hashed apart: the masking kept each byte that belongs to the word.
        XCTAssertEqual(hashes.count, text.count - 6)
    }

    /// A weight is kept in steps of 1/32, to the nearest (halves up); beyond the top, or not a number, at the top.
    func testWeightsAreQuantisedToTheNearestStep() {
        for step in 0...255 {
            let weight = Float(step) / 32
            XCTAssertEqual(TextIndex.quantise(weight), UInt8(step))
            XCTAssertEqual(TextIndex.quantise(weight + 0.01), UInt8(step), "\(weight) and a little")
            if step > 0 { XCTAssertEqual(TextIndex.quantise(weight - 0.01), UInt8(step), "\(weight) less a little") }
            XCTAssertEqual(TextIndex.quantise(weight + 1.0 / 64), UInt8(min(255, step + 1)), "\(weight) and a half step")
        }
        for beyond: Float in [8, 1_000, .infinity, .nan] { XCTAssertEqual(TextIndex.quantise(beyond), 255) }
        XCTAssertEqual(TextIndex.quantise(0.2 * 0.7 + 0.25), 12, "12.48 steps")
    }

    /// The vocabulary takes an ASCII word of up to eight bytes to be told by its length and hash alone: the hash is
    /// undone here, step by step, back to the word's bytes.
    func testAShortWordsHashGivesBackItsBytes() {
        // The multiplicative inverses of WordHash's odd constants, modulo 2^64.
        func inverse(_ odd: UInt64) -> UInt64 {
            var inverse: UInt64 = 1
            for _ in 0..<6 { inverse = inverse &* (2 &- odd &* inverse) }
            return inverse
        }
        func unshift(_ value: UInt64, _ shift: UInt64) -> UInt64 {
            var result = value
            var step = shift
            while step < 64 { result ^= value >> step; step += shift }
            return result
        }
        var generator = SystemRandomNumberGenerator()
        for count in 1...8 {
            for _ in 0..<2_000 {
                let word = (0..<count).map { _ in UInt8.random(in: 0x21...0x7E, using: &generator) }
                let hash = word.withUnsafeBufferPointer { WordHash.of($0) }
                let mixed = unshift(hash, 29)
                let product = unshift(mixed &* inverse(0x94D0_49BB_1331_11EB), 31)
                let bytes = product &* inverse(0xBF58_476D_1CE4_E5B9) ^ UInt64(count) &* 0x9E37_79B9_7F4A_7C15
                XCTAssertEqual((0..<count).map { UInt8(truncatingIfNeeded: bytes >> (8 * UInt64($0))) }, word)
                XCTAssertEqual(bytes >> (8 * UInt64(count)) & (count == 8 ? 0 : UInt64.max), 0, "\(count) bytes")
            }
        }
    }

    /// Words get one number each, found again by their bytes: short ones by hash and length, long ones (alike in
    /// their first eight bytes) by every byte.
    func testWordsAreNumberedOnce() {
        var numbers = WordNumbers(capacity: 4)
        let words = (0..<3_000).map { "w\($0)" } + (0..<300).map { "abcdefgh\($0)" } + ["a", "ab", "abcdefgh", "abcdefghi"]
        func number(_ word: String) -> Int32 {
            Array(word.utf8).withUnsafeBufferPointer { numbers.number($0, WordHash.of($0), nil) }
        }
        let first = words.map(number)
        XCTAssertEqual(first, (0..<Int32(words.count)).map { $0 })
        XCTAssertEqual(words.map(number), first)
        XCTAssertEqual((0..<words.count).map { numbers.word($0) }, words)
        XCTAssertEqual(numbers.count, words.count)
        // A word beyond ASCII is one word however it is composed, whatever its byte count.
        func unicodeNumber(_ word: String) -> Int32 {
            var bytes = word
            return bytes.withUTF8 { numbers.number($0, UInt64(UInt(bitPattern: word.hashValue)), word) }
        }
        for (composed, decomposed) in [("caf\u{E9}", "cafe\u{301}"), ("\u{AC00}", "\u{1100}\u{1161}"), ("\u{304C}", "\u{304B}\u{3099}")] {
            XCTAssertNotEqual(composed.utf8.count, decomposed.utf8.count)
            XCTAssertEqual(unicodeNumber(composed), unicodeNumber(decomposed), decomposed.debugDescription)
        }
        XCTAssertEqual(numbers.count, words.count + 3)
    }

    /// A long word's slot keeps where it starts instead of the hash's low bits: words of one length given one hash
    /// are still told apart by their bytes, before and after the table grows.
    func testLongWordsOfOneHashAreToldApartByTheirBytes() {
        let hash: UInt64 = 0xABCD_EF00_0000_1234
        var numbers = WordNumbers(capacity: 4)
        // Of two lengths, the shorter last; and an empty, a short and a word beyond ASCII of the same hash.
        let words = (10..<60).map { "longword\($0)" } + (100..<110).map { "longword\($0)" } + (0..<10).map { "longword\($0)" }
        func number(_ word: String, in numbers: inout WordNumbers) -> Int32 {
            Array(word.utf8).withUnsafeBufferPointer { numbers.number($0, hash, word.utf8.count == word.count ? nil : word) }
        }
        let others = ["", "short", "caf\u{E9} au lait"]
        XCTAssertEqual((words + others).map { number($0, in: &numbers) }, (0..<73).map { Int32($0) })
        XCTAssertEqual((words + others).reversed().map { number($0, in: &numbers) }, (0..<73).reversed().map { Int32($0) })
        XCTAssertEqual(numbers.count, 73)
        // Merged into another vocabulary whose arena holds other words first: found at its own offsets there.
        var merged = WordNumbers(capacity: 4)
        for first in ["x", "an earlier long word", "another earlier word"] { _ = number(first, in: &merged) }
        let renumbered = (0..<numbers.count).map { merged.number(of: numbers, $0) }
        XCTAssertEqual(renumbered, (3..<76).map { Int32($0) })
        XCTAssertEqual((0..<numbers.count).map { merged.word(Int(renumbered[$0])) }, words + others)
        XCTAssertEqual((words + others).map { number($0, in: &merged) }, renumbered)
    }

    /// The build's room is sized from a sample of photos, but a sample of very wordy ones (scanned pages) does not
    /// ask for room at their length for every photo of the library.
    func testRoomFromAWordySampleIsBounded() {
        let page = Self.distinctWords(600)
        let wordy = (0..<10).map { SearchDocument(id: Int64($0), path: "scans/\($0).jpg", caption: page) }
        var words = WeighedHalf(wordy, 0..<wordy.count)
        words.reserveCapacity(photos: 10_000)
        XCTAssertGreaterThanOrEqual(words.terms.capacity, 64 * 10_000)
        XCTAssertLessThan(words.terms.capacity, 100 * 10_000, "room at 600 words a photo")
        var columns = Columns(wordy)
        columns.reserveTextCapacity(photos: 10_000)
        XCTAssertGreaterThanOrEqual(columns.captions.bytes.capacity, 256 * 10_000)
        XCTAssertLessThan(columns.captions.bytes.capacity, 400 * 10_000, "room at 3,000 bytes a photo")
        // Room changes no value.
        XCTAssertEqual(columns.captions[9], page)
    }

    /// Words compared eight bytes at a time: equal only when every byte is, wherever in the arena the word lies.
    func testWordsAreEqualByEveryByte() {
        let arena = Array("xyzabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for start in 0..<3 {
            for count in 0...arena.count - start {
                var word = Array(arena[start..<start + count])
                let range = start..<start + count
                word.withUnsafeBufferPointer { XCTAssertTrue(WordHash.equal(arena, range, $0), "\(count) bytes") }
                // One byte more or less, and each byte changed in turn.
                word.withUnsafeBufferPointer { XCTAssertFalse(WordHash.equal(arena, start..<start + count + 1, $0)) }
                if count > 0 {
                    word.withUnsafeBufferPointer { XCTAssertFalse(WordHash.equal(arena, range, UnsafeBufferPointer(rebasing: $0.dropLast()))) }
                }
                for place in word.indices {
                    word[place] ^= 0x20
                    word.withUnsafeBufferPointer { XCTAssertFalse(WordHash.equal(arena, range, $0), "\(count) bytes, byte \(place)") }
                    word[place] ^= 0x20
                }
            }
        }
    }
}

/// The build as it was: a dictionary of words, one per photo, a closure sort per word.
private struct ReferenceIndex {
    var terms = [String](), termBytes = [[UInt8]](), lettersOnly = [Bool](), postingStart = [Int](), postingDocs = [UInt32]()
    var postingWeights = [UInt8](), postingFields = [UInt8](), forwardStart = [0], forwardTerms = [UInt32]()
    var forwardWeights = [UInt8](), forwardFields = [UInt8]()

    init(_ documents: [SearchDocument]) {
        var ids = [String: Int]()
        var words = [String]()
        var perDocument = [[(term: Int, weight: Float, fields: UInt8)]]()
        for document in documents {
            var found = [Int: (weight: Float, fields: UInt8)]()
            func add(_ text: String, _ field: SearchField, score: Float = 1) {
                for word in Folding.words(text) where TextIndex.indexable(word, field) {
                    let term = ids[word] ?? {
                        ids[word] = words.count
                        words.append(word)
                        return words.count - 1
                    }()
                    let weight = field.weight * score
                    if let old = found[term] {
                        let fields = old.fields | field.bit
                        found[term] = (max(old.weight, weight) + (fields == old.fields ? 0 : 0.25), fields)
                    } else {
                        found[term] = (weight, field.bit)
                    }
                }
            }
            add(document.caption, .caption)
            for label in document.labels { add(label.name, .labels, score: max(0.2, label.score)) }
            add(document.text, .text)
            for place in [document.city, document.region, document.country].compactMap({ $0 }) { add(place, .place) }
            let slash = document.path.lastIndex(of: "/")
            add(slash.map { String(document.path[document.path.index(after: $0)...]) } ?? document.path, .name)
            if let slash { add(String(document.path[..<slash]), .folder) }
            for camera in [document.make, document.model, document.lens].compactMap({ $0 }) { add(camera, .camera) }
            perDocument.append(found.map { ($0.key, $0.value.weight, $0.value.fields) })
        }
        let order = words.indices.sorted { words[$0] < words[$1] }
        var renumbered = [Int](repeating: 0, count: words.count)
        for (new, old) in order.enumerated() { renumbered[old] = new }
        terms = order.map { words[$0] }
        termBytes = terms.map { Array($0.utf8) }
        lettersOnly = termBytes.map { $0.allSatisfy { $0 >= 97 && $0 <= 122 || $0 >= 0x80 } }
        var postings = [[(doc: UInt32, weight: UInt8, fields: UInt8)]](repeating: [], count: terms.count)
        for (document, entries) in perDocument.enumerated() {
            let renamed = entries.map { (term: UInt32(renumbered[$0.term]), weight: TextIndex.quantise($0.weight), fields: $0.fields) }
            for entry in renamed { postings[Int(entry.term)].append((UInt32(document), entry.weight, entry.fields)) }
            for entry in renamed.sorted(by: { $0.term < $1.term }) {
                forwardTerms.append(entry.term)
                forwardWeights.append(entry.weight)
                forwardFields.append(entry.fields)
            }
            forwardStart.append(forwardTerms.count)
        }
        let recency = documents.map { Columns.recency($0.taken) }
        postingStart = [0]
        for list in postings {
            let sorted = list.sorted { a, b in
                a.weight != b.weight ? a.weight > b.weight
                    : recency[Int(a.doc)] != recency[Int(b.doc)] ? recency[Int(a.doc)] > recency[Int(b.doc)] : a.doc < b.doc
            }
            postingDocs += sorted.map(\.doc)
            postingWeights += sorted.map(\.weight)
            postingFields += sorted.map(\.fields)
            postingStart.append(postingDocs.count)
        }
    }
}

/// A small seeded generator (SplitMix64), so a run tests the photos its seed makes again.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = (state ^ state >> 30) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ value >> 27) &* 0x94D0_49BB_1331_11EB
        return value ^ value >> 31
    }

    mutating func next(_ below: Int) -> Int { Int(next() % UInt64(below)) }
}
