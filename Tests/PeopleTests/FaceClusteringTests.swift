import Catalogue
import XCTest
@testable import People

/// Clustering on synthetic descriptors: a few people as points in 128 dimensions, faces scattered around them.
final class FaceClusteringTests: XCTestCase {
    /// Deterministic noise, so a failure repeats.
    struct Noise {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    var noise = Noise(state: 7)
    /// People 1.0 apart (each along its own axis, scaled), faces within about 0.2 of their person.
    func centre(_ person: Int) -> [Float] {
        var centre = [Float](repeating: 0, count: 128)
        centre[person] = 0.71
        return centre
    }

    func face(_ photo: Int64, _ index: Int = 0, of person: Int, quality: Double = 0.9) -> FaceRecord {
        FaceRecord(key: FaceKey(photoID: photo, index: index), x: Double(index) * 0.3, y: 0, w: 0.2, h: 0.2,
                   descriptor: centre(person).map { $0 + noise.next() * 0.02 }, quality: quality)
    }

    /// The catalogue's side, in memory: who each face is, and which faces stand for people or are loose.
    struct Ledger {
        var faces = [FaceKey: FaceRecord]()
        var representatives = Set<FaceKey>()
        var seen = Set<FaceKey>()
        var nextPerson: Int64 = 1

        mutating func add(_ batch: [FaceRecord]) { for face in batch { faces[face.key] = face } }

        var pending: [FaceRecord] { faces.values.filter { !seen.contains($0.key) }.sorted { $0.key < $1.key } }
        var standing: [FaceRecord] { representatives.compactMap { faces[$0] }.filter { $0.personID != nil } }
        func loose(_ quality: Double) -> [FaceRecord] {
            faces.values.filter { seen.contains($0.key) && $0.personID == nil && !$0.movedByHand && ($0.quality ?? 0) >= quality }
        }

        mutating func apply(_ outcome: ClusteringOutcome) {
            for (key, person) in outcome.joins where faces[key]?.personID == nil { faces[key]?.personID = person }
            for group in outcome.newPeople {
                for key in group { faces[key]?.personID = nextPerson }
                nextPerson += 1
            }
            representatives.formUnion(outcome.representatives)
            seen.formUnion(outcome.seen)
        }

        func person(_ key: FaceKey) -> Int64? { faces[key]?.personID }
    }

    var ledger = Ledger()
    var clustering = FaceClustering()

    func runClustering() {
        let occupied = Dictionary(grouping: ledger.faces.values.filter { $0.personID != nil && ledger.seen.contains($0.key) },
                                  by: \.key.photoID).mapValues { Set($0.compactMap(\.personID)) }
        ledger.apply(clustering.cluster(batch: ledger.pending, representatives: ledger.standing,
                                        loose: ledger.loose(clustering.minQuality), occupied: occupied))
    }

    func testAGroupPhotoLandsInBothPeopleAndALoneFaceInNobody() {
        ledger.add([face(1, of: 0), face(2, of: 0), face(3, of: 1), face(4, of: 1),
                    face(5, 0, of: 0), face(5, 1, of: 1), face(6, of: 2)])
        runClustering()
        let ada = ledger.person(FaceKey(photoID: 1, index: 0)), bob = ledger.person(FaceKey(photoID: 3, index: 0))
        XCTAssertNotNil(ada)
        XCTAssertNotNil(bob)
        XCTAssertNotEqual(ada, bob)
        XCTAssertEqual(ledger.person(FaceKey(photoID: 2, index: 0)), ada)
        XCTAssertEqual(ledger.person(FaceKey(photoID: 4, index: 0)), bob)
        XCTAssertEqual(ledger.person(FaceKey(photoID: 5, index: 0)), ada, "the group photo is in Ada")
        XCTAssertEqual(ledger.person(FaceKey(photoID: 5, index: 1)), bob, "and in Bob")
        XCTAssertNil(ledger.person(FaceKey(photoID: 6, index: 0)), "someone seen once is nobody yet")
        XCTAssertEqual(ledger.nextPerson, 3, "two people formed")
    }

    func testAnEmptyOrBrokenDescriptorFirstSpoilsOnlyItself() {
        var empty = face(1, of: 0), broken = face(2, of: 0)
        empty.descriptor = []
        broken.descriptor![3] = .nan
        ledger.add([empty, broken, face(3, of: 0), face(4, of: 0)])
        runClustering()
        XCTAssertNil(ledger.person(empty.key))
        XCTAssertNil(ledger.person(broken.key))
        XCTAssertNotNil(ledger.person(FaceKey(photoID: 3, index: 0)), "the well-formed faces still form their person")
        XCTAssertEqual(ledger.person(FaceKey(photoID: 3, index: 0)), ledger.person(FaceKey(photoID: 4, index: 0)))
    }

    func testTwoFacesOfOnePhotoAreNeverOnePerson() {
        // Twins, as far as the descriptor can tell: both faces of one photo near one person.
        ledger.add([face(1, 0, of: 0), face(1, 1, of: 0), face(2, of: 0)])
        runClustering()
        let people = [0, 1].map { ledger.person(FaceKey(photoID: 1, index: $0)) }
        XCTAssertEqual(people.compactMap { $0 }.count, 1, "one of the two joins the person formed with photo 2")
        ledger.add([face(3, 0, of: 0), face(3, 1, of: 0)])
        runClustering()
        let later = [0, 1].compactMap { ledger.person(FaceKey(photoID: 3, index: $0)) }
        XCTAssertEqual(Set(later).count, later.count, "a later photo's two faces do not both join one person")
    }

    func testALoneFaceJoinsWhenAMatchArrivesAndNewFacesJoinTheirPerson() {
        ledger.add([face(1, of: 3)])
        runClustering()
        XCTAssertNil(ledger.person(FaceKey(photoID: 1, index: 0)))
        ledger.add([face(2, of: 3)])
        runClustering()
        let person = ledger.person(FaceKey(photoID: 1, index: 0))
        XCTAssertNotNil(person, "the loose face and its match form a person")
        XCTAssertEqual(ledger.person(FaceKey(photoID: 2, index: 0)), person)
        ledger.add([face(3, of: 3), face(4, of: 4)])
        runClustering()
        XCTAssertEqual(ledger.person(FaceKey(photoID: 3, index: 0)), person, "a new photo joins the person who exists")
        XCTAssertNil(ledger.person(FaceKey(photoID: 4, index: 0)))
        XCTAssertEqual(ledger.nextPerson, 2, "no person was formed twice")
    }

    func testWeakFacesFormNobodyButJoinSomeone() {
        ledger.add([face(1, of: 5, quality: 0.2), face(2, of: 5, quality: 0.2), face(3, of: 5)])
        runClustering()
        XCTAssertTrue(ledger.faces.values.allSatisfy { $0.personID == nil }, "one good face and two weak ones are nobody yet")
        XCTAssertEqual(ledger.seen.count, 3, "every face was looked at, so none is looked at again")
        ledger.add([face(4, of: 5), face(5, of: 5, quality: 0.2)])
        runClustering()
        let person = ledger.person(FaceKey(photoID: 4, index: 0))
        XCTAssertNotNil(person, "two good faces form a person")
        XCTAssertEqual(ledger.person(FaceKey(photoID: 3, index: 0)), person)
        XCTAssertEqual(ledger.person(FaceKey(photoID: 5, index: 0)), person, "a weak face joins the person it is near")
        XCTAssertFalse(ledger.representatives.contains(FaceKey(photoID: 5, index: 0)), "but does not stand for them")
        ledger.add([face(6, of: 5, quality: 0.1)])
        runClustering()
        XCTAssertEqual(ledger.person(FaceKey(photoID: 6, index: 0)), person, "nor does one that comes later")
    }

    func testAWeakFaceBridgesNobody() {
        // Two good faces 0.9 apart, a weak one halfway: within reach of both, it must not make them one group.
        var left = [Float](repeating: 0, count: 128), right = left, middle = left
        left[0] = 0.45
        right[0] = -0.45
        middle[0] = 0
        let faces = [(1, left, 0.9), (2, left, 0.9), (3, middle, 0.1), (4, right, 0.9), (5, right, 0.9)].map { photo, d, q in
            FaceRecord(key: FaceKey(photoID: Int64(photo), index: 0), x: 0, y: 0, w: 0.2, h: 0.2, descriptor: d, quality: q)
        }
        ledger.add(faces)
        runClustering()
        XCTAssertEqual(ledger.nextPerson, 3, "two people")
        XCTAssertNotEqual(ledger.person(faces[0].key), ledger.person(faces[4].key))
    }

    func testFacesMovedByHandAndPeopleAlreadyGivenStayPut() {
        ledger.add([face(1, of: 0), face(2, of: 0)])
        runClustering()
        let person = ledger.person(FaceKey(photoID: 1, index: 0))!
        // Someone says photo 3's face, though close to this person, is nobody; photo 4's face is this person.
        var nobody = face(3, of: 0)
        nobody.movedByHand = true
        var placed = face(4, of: 6)
        placed.personID = person
        placed.movedByHand = true
        ledger.add([nobody, placed])
        ledger.seen.formUnion([nobody.key, placed.key])
        ledger.add([face(5, of: 0), face(6, of: 6)])
        runClustering()
        XCTAssertNil(ledger.person(nobody.key), "a face put with nobody stays nobody's")
        XCTAssertEqual(ledger.person(placed.key), person)
        XCTAssertEqual(ledger.person(FaceKey(photoID: 5, index: 0)), person)
        XCTAssertNil(ledger.person(FaceKey(photoID: 6, index: 0)), "a face moved by hand does not become a representative")
        // A batch that includes a face already someone's leaves it alone.
        let outcome = clustering.cluster(batch: [placed], representatives: ledger.standing, loose: [])
        XCTAssertTrue(outcome.joins.isEmpty && outcome.newPeople.isEmpty)
    }

    func testABatchCostsTheSameWhateverTheLibraryHolds() {
        func comparisons(facesPerPerson: Int) -> Int {
            var ledger = Ledger(), clustering = FaceClustering()
            var photo: Int64 = 0
            var library = [FaceRecord]()
            for person in 0..<20 { for _ in 0..<facesPerPerson { photo += 1; library.append(face(photo, of: person)) } }
            ledger.add(library)
            ledger.apply(clustering.cluster(batch: ledger.pending, representatives: [], loose: []))
            let before = clustering.comparisons
            ledger.add((0..<50).map { i in photo += 1; return face(photo, of: i % 20) })
            let outcome = clustering.cluster(batch: ledger.pending, representatives: ledger.standing, loose: ledger.loose(0.5))
            XCTAssertEqual(outcome.joins.count, 50, "every new face joins its person")
            return clustering.comparisons - before
        }
        let small = comparisons(facesPerPerson: 10), large = comparisons(facesPerPerson: 40)
        XCTAssertEqual(small, large, "four times the faces, the same people: the same work for a batch")
        XCTAssertLessThan(small, 50 * 20 * 40 / 4, "a quarter of comparing each new face with every face of the library")
    }

    func testABatchReadsAboutAsMuchWhenTheLibraryGrowsFiveTimesWithStrangers() {
        /// A library of `size` faces, three in ten of strangers seen once; returns the comparisons of a batch of 50
        /// more, against the known faces' cells (small ones, so a small library fills many) and against every known face.
        func comparisons(size: Int) -> (cells: Int, exact: Int) {
            var noise = Noise(state: 11)
            func around(_ centre: [Float]) -> [Float] { centre.map { $0 + noise.next() * 0.02 } }
            let people = (0..<40).map { _ in (0..<128).map { _ in noise.next() * 0.11 } }
            func face(_ photo: Int) -> FaceRecord {
                let stranger = photo % 10 < 3
                let centre = stranger ? (0..<128).map { _ in noise.next() * 0.11 } : people[photo % people.count]
                return FaceRecord(key: FaceKey(photoID: Int64(photo), index: 0), x: 0, y: 0, w: 0.2, h: 0.2,
                                  descriptor: around(centre), quality: 0.9)
            }
            let library = (0..<size).map(face), batch = (size..<size + 50).map(face)
            var result = [Int]()
            for exact in [false, true] {
                var known = KnownFaces(representatives: [], loose: [], exact: exact, cellSize: 16), clustering = FaceClustering()
                var next: Int64 = 1
                for from in stride(from: 0, to: library.count, by: 100) {
                    let part = Array(library[from..<min(from + 100, library.count)])
                    let outcome = clustering.cluster(batch: part, against: &known)
                    known.record(outcome, batch: part, formed: outcome.newPeople.map { _ in next += 1; return next })
                }
                let before = clustering.comparisons
                _ = clustering.cluster(batch: batch, against: &known)
                result.append(clustering.comparisons - before)
            }
            return (result[0], result[1])
        }
        let small = comparisons(size: 400), large = comparisons(size: 2_000)
        XCTAssertGreaterThan(large.exact, small.exact * 2, "every known face: the strangers make a batch cost more")
        XCTAssertLessThan(Double(large.cells), Double(small.cells) * 1.5, "five times the library, about the same cells read")
    }
}
