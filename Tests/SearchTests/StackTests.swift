import Foundation
import XCTest
@testable import Search

/// Stacks as the engine keeps them: found at the build, kept current photo by photo, saved and loaded, and shown as
/// one hit that any member's words find.
final class StackTests: XCTestCase {
    static func photo(_ id: Int64, _ path: String, format: String = "jpeg", caption: String = "harbour", taken: String? = nil,
                      make: String? = nil, content: String? = nil, burst: String? = nil) -> SearchDocument {
        SearchDocument(id: id, path: path, caption: caption, make: make, model: make.map { $0 + " one" }, taken: taken, format: format,
                       contentIdentifier: content, burstIdentifier: burst)
    }

    static let library = [
        photo(1, "trip/DSC_0100.NEF", format: "raw"), photo(2, "trip/DSC_0100.JPG"),
        photo(3, "trip/IMG_2001.JPG"), photo(4, "trip/IMG_E2001.JPG", caption: "lighthouse"),
        photo(5, "trip/a/IMG_3001.JPG", taken: "2024-05-01T10:00:01", burst: "B"),
        photo(6, "trip/b/IMG_3000.JPG", taken: "2024-05-01T10:00:00", burst: "B"),
        photo(7, "run/P1000001.JPG", taken: "2024-05-02T11:00:00", make: "Lumix"),
        photo(8, "run/P1000002.JPG", taken: "2024-05-02T11:00:02", make: "Lumix"),
        photo(9, "run/P1000003.JPG", taken: "2024-05-02T11:00:05", make: "Lumix"),
        photo(10, "live/IMG_4001.HEIC", format: "heic", content: "C-1"), photo(11, "live/IMG_4001.MOV", format: "quicktime", content: "C-1"),
        photo(12, "live/IMG_5001.JPG"), photo(13, "live/IMG_5001.MOV", format: "quicktime"),
        photo(14, "trip/IMG_2002.JPG"), photo(15, "trip/IMG_2002.PNG", format: "png"),
    ]

    /// Every hit's path and its stack's kind and members, for a query.
    static func shown(_ engine: SearchEngine, _ query: String, stacked: Bool = true) throws -> [String] {
        try engine.search(query, limit: 100, stacked: stacked).hits.map { hit in
            hit.path + (hit.stack.map { " \($0.kind.rawValue): " + $0.members.joined(separator: ", ") } ?? "")
        }.sorted()
    }

    func testEachKindIsOneHitShownByItsBestMember() throws {
        let engine = SearchEngine(documents: Self.library)
        XCTAssertEqual(try Self.shown(engine, "harbour | lighthouse"), [
            "live/IMG_4001.HEIC live: live/IMG_4001.HEIC, live/IMG_4001.MOV",
            "live/IMG_5001.JPG live: live/IMG_5001.JPG, live/IMG_5001.MOV",
            "run/P1000001.JPG burst: run/P1000001.JPG, run/P1000002.JPG",
            "run/P1000003.JPG",
            "trip/DSC_0100.JPG raw+jpeg: trip/DSC_0100.JPG, trip/DSC_0100.NEF",
            "trip/IMG_2002.JPG", "trip/IMG_2002.PNG",
            "trip/IMG_E2001.JPG edited: trip/IMG_E2001.JPG, trip/IMG_2001.JPG",
            "trip/b/IMG_3000.JPG burst: trip/b/IMG_3000.JPG, trip/a/IMG_3001.JPG",
        ])
        let result = try engine.search("harbour | lighthouse", limit: 100)
        XCTAssertEqual(result.total, 9, "photos of one stack count once")
        XCTAssertEqual(try engine.search("harbour | lighthouse", limit: 100, stacked: false).hits.count, 15)
        // A filter only the original passes finds the stack once, shown by the original (a filter never shows a
        // photo it did not pass), with its members and its words as the reason.
        let original = try engine.search("harbour trip name:IMG_2001.JPG")
        XCTAssertEqual(original.hits.map(\.path), ["trip/IMG_2001.JPG"])
        XCTAssertEqual(original.hits.first?.stack?.members, ["trip/IMG_E2001.JPG", "trip/IMG_2001.JPG"])
        XCTAssertTrue(original.hits[0].why.contains { $0.contains("harbour") }, "\(original.hits[0].why)")
        XCTAssertEqual(engine.stack(of: 3)?.ids, [4, 3])
        XCTAssertNil(engine.stack(of: 14))
    }

    func testMembershipFollowsEachChangeAsARebuildWouldFindIt() throws {
        let engine = SearchEngine(documents: Self.library.filter { ![1, 8, 11].contains($0.id) })
        XCTAssertNil(engine.stack(of: 2))
        XCTAssertNil(engine.stack(of: 7), "frames 5 s apart are no burst")
        engine.apply([.upsert(Self.library[0], vectors: [:]), .upsert(Self.library[7], vectors: [:]), .upsert(Self.library[10], vectors: [:])])
        XCTAssertEqual(try Self.shown(engine, "harbour | lighthouse"), try Self.shown(SearchEngine(documents: Self.library), "harbour | lighthouse"))
        XCTAssertEqual(engine.stack(of: 7)?.ids, [7, 8], "the frame between them 2 s later joins; the next, 3 s on, does not")
        // The RAW taken out, the edited copy renamed to a photo of its own, the video's identifier lost.
        engine.apply([.remove(1), .upsert(Self.photo(4, "trip/IMG_2003.JPG"), vectors: [:]),
                      .upsert(Self.photo(11, "live/IMG_4001.MOV", format: "quicktime"), vectors: [:])])
        XCTAssertNil(engine.stack(of: 2))
        XCTAssertNil(engine.stack(of: 3))
        XCTAssertNil(engine.stack(of: 10))
        var after = Self.library.filter { $0.id != 1 }
        after[after.firstIndex { $0.id == 4 }!] = Self.photo(4, "trip/IMG_2003.JPG")
        after[after.firstIndex { $0.id == 11 }!] = Self.photo(11, "live/IMG_4001.MOV", format: "quicktime")
        XCTAssertEqual(try Self.shown(engine, "harbour"), try Self.shown(SearchEngine(documents: after), "harbour"))
    }

    func testASavedEngineKeepsItsStacks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stacks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = SearchEngine(documents: Self.library)
        engine.apply([.remove(12)])
        var writer = try SnapshotWriter(path: path)
        try engine.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        let loaded = try SearchEngine(&reader)
        XCTAssertEqual(try Self.shown(loaded, "harbour | lighthouse"), try Self.shown(engine, "harbour | lighthouse"))
        XCTAssertNil(loaded.stack(of: 13), "a video whose still was taken out stands alone")
        // Loaded, not found again: each bucket's photos are known, so changes restack as in the engine saved.
        let changes: [EngineUpdate] = [.remove(1), .upsert(Self.library[11], vectors: [:]), .upsert(Self.photo(16, "trip/IMG_2001.CR2", format: "raw"), vectors: [:]),
                                       .upsert(Self.photo(17, "live/other/IMG_4001.JPG", content: "C-1"), vectors: [:])]
        loaded.apply(changes)
        engine.apply(changes)
        XCTAssertEqual(try Self.shown(loaded, "harbour | lighthouse"), try Self.shown(engine, "harbour | lighthouse"))
        XCTAssertEqual(loaded.stack(of: 13)?.ids, [12, 13])
        XCTAssertEqual(loaded.stack(of: 16)?.ids, engine.stack(of: 16)?.ids)
        XCTAssertNotNil(loaded.stack(of: 16))
        XCTAssertEqual(loaded.stack(of: 10)?.ids, engine.stack(of: 10)?.ids, "an identifier's bucket knows its photos too")
        XCTAssertEqual(loaded.stack(of: 17)?.ids.count, 3)
    }

    /// Saved stacks that the columns contradict (members of two folders, a photo in two stacks or twice in one, a
    /// photo taken out, an unknown kind, ends out of order) are refused: the server then reads the catalogue.
    func testSavedStacksTheColumnsContradictAreRefused() throws {
        let columns = SearchEngine(documents: Self.library).columns
        let pairs = { (count: Int) in Array(stride(from: 0, through: count, by: 2)) }
        let cases: [(kinds: [String], starts: [Int], members: [Int])] = [
            (["raw+jpeg"], pairs(2), [0, 6]), (["raw+jpeg", "edited"], pairs(4), [0, 1, 1, 3]), (["pile"], pairs(2), [0, 1]),
            (["raw+jpeg"], pairs(2), [0, 99]), (["raw+jpeg"], pairs(2), [0, 0]), (["raw+jpeg"], pairs(2), [2, 3]),
            (["raw+jpeg", "raw+jpeg"], [0, 0, 2], [0, 1]), (["raw+jpeg"], [1, 3], [0, 2, 3]),
            (["raw+jpeg", "raw+jpeg"], [0, Int.max - 1, 4], [0, 1, 2, 3]),
        ]
        for (kinds, starts, members) in cases {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("stacks-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            var writer = try SnapshotWriter(path: path)
            try writer.strings("stacks.kinds", kinds)
            try writer.array("stacks.starts", starts)
            try writer.array("stacks.members", members.map(UInt32.init))
            try writer.finish()
            var reader = try SnapshotReader(path: path)
            defer { reader.close() }
            // Photo 3 (IMG_E2001) was taken out: a saved stack holding it is damaged.
            XCTAssertThrowsError(try Stacks(&reader, columns) { $0 != 3 }, "\(kinds) \(starts) \(members)") {
                XCTAssertEqual(($0 as? SnapshotError)?.description, "the saved engine's stacks are damaged")
            }
        }
    }

    /// A frame of a burst with no identifier and no file number to follow: its look (hash bits), time and camera.
    static func frame(_ id: Int64, _ name: String, second: Int, looks: UInt64, make: String? = "Fuji", format: String = "jpeg") -> SearchDocument {
        var document = photo(id, "frames/" + name, format: format, taken: "2024-06-01T09:30:\(second < 10 ? "0" : "")\(second)", make: make)
        document.perceptualHash = looks
        return document
    }

    /// 32 bits set, as every hash has; `flipped` bits moved, so a look `2 × flipped` bits away.
    static func looks(_ flipped: Int) -> UInt64 {
        let base: UInt64 = 0x0000_0000_FFFF_FFFF
        let low: UInt64 = flipped == 0 ? 0 : UInt64.max >> (64 - flipped)
        return base ^ low ^ (low << 32)
    }

    func testNearIdenticalFramesSecondsApartAreABurst() throws {
        let library = [
            // Three frames a second apart: 6 and 4 bits from the one before, 10 from the first.
            Self.frame(1, "harbour.jpg", second: 0, looks: Self.looks(0)),
            Self.frame(2, "boats.jpg", second: 1, looks: Self.looks(3)),
            Self.frame(3, "quay.jpg", second: 2, looks: Self.looks(5)),
            // Drifted on: 6 bits from the last frame but 16 from the first, so no longer the burst's.
            Self.frame(10, "drifted.jpg", second: 3, looks: Self.looks(8)),
            // Another shot a second later: looks unrelated.
            Self.frame(4, "gulls.jpg", second: 3, looks: ~Self.looks(0)),
            // The same look 5 s after the last frame: a photo of its own.
            Self.frame(5, "later.jpg", second: 8, looks: Self.looks(5)),
            // Another camera at the same moment, a PNG, and a picture without a camera: not frames of this burst.
            Self.frame(6, "phone.jpg", second: 1, looks: Self.looks(1), make: "Pixel"),
            Self.frame(7, "export.png", second: 1, looks: Self.looks(1), format: "png"),
            Self.frame(11, "screen.jpg", second: 1, looks: Self.looks(1), make: nil),
            Self.frame(12, "screen-2.jpg", second: 2, looks: Self.looks(1), make: nil),
            // Close in time and look but not yet hashed.
            Self.frame(8, "unhashed.jpg", second: 2, looks: 0),
        ]
        let engine = SearchEngine(documents: library)
        XCTAssertEqual(engine.stack(of: 2)?.ids, [1, 2, 3])
        XCTAssertEqual(engine.stack(of: 2)?.kind, .burst)
        for alone: Int64 in [4, 5, 6, 7, 8, 10, 11, 12] { XCTAssertNil(engine.stack(of: alone), "photo \(alone)") }

        // Kept current: with the middle frame taken out the other two are still close; a new frame a second after
        // the drifted one joins it (2 bits), not the burst whose first frame it no longer looks like (14 bits).
        engine.apply([.remove(2)])
        XCTAssertEqual(engine.stack(of: 1)?.ids, [1, 3])
        engine.apply([.upsert(Self.frame(9, "mooring.jpg", second: 4, looks: Self.looks(7)), vectors: [:])])
        XCTAssertEqual(engine.stack(of: 9)?.ids, [10, 9])
        XCTAssertEqual(engine.stack(of: 1)?.ids, [1, 3])
        // A frame whose look changes far leaves; the first, alone now, is no burst.
        engine.apply([.upsert(Self.frame(3, "quay.jpg", second: 2, looks: Self.looks(16)), vectors: [:])])
        XCTAssertNil(engine.stack(of: 3))
        XCTAssertNil(engine.stack(of: 1))

        // Saved and loaded, the looks come back with the photos.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("looks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = SearchEngine(documents: library)
        var writer = try SnapshotWriter(path: path)
        try whole.save(&writer)
        try writer.finish()
        var reader = try SnapshotReader(path: path)
        defer { reader.close() }
        XCTAssertEqual(try SearchEngine(&reader).stack(of: 3)?.ids, [1, 2, 3])
    }

    func testBurstGapsAreCountedAcrossMidnight() {
        XCTAssertEqual(StackFile.seconds(20_240_101_000_001)! - StackFile.seconds(20_231_231_235_959)!, 2)
        XCTAssertEqual(StackFile.seconds(19_700_101_000_000), 0)
        XCTAssertNil(StackFile.seconds(0))
    }

    /// Names that stay beyond ASCII when folded are taken apart by their characters, in a folder of ASCII ones:
    /// their shots still stack.
    func testNamesBeyondASCIIStackByTheirCharacters() throws {
        let engine = SearchEngine(documents: [
            Self.photo(1, "trip/Łódź_0001.NEF", format: "raw"), Self.photo(2, "trip/Łódź_0001.JPG"),
            Self.photo(3, "trip/東京-edited.jpg"), Self.photo(4, "trip/東京.jpg"), Self.photo(5, "trip/DSC_0002.JPG"),
            // Folded, a combining mark leaves the name (the names column holds none): an ordinary RAW+JPEG pair.
            Self.photo(6, "trip/IMG_0001.\u{20DD}NEF", format: "raw"), Self.photo(7, "trip/IMG_0001.\u{20DD}JPG"),
        ])
        for number in [0, 2] {
            XCTAssertFalse(engine.columns.names[number].unicodeScalars.allSatisfy(\.isASCII), engine.columns.names[number])
        }
        XCTAssertEqual(engine.columns.names[5], "img_0001.nef")
        XCTAssertEqual(try Self.shown(engine, "harbour"), [
            "trip/DSC_0002.JPG", "trip/IMG_0001.\u{20DD}JPG raw+jpeg: trip/IMG_0001.\u{20DD}JPG, trip/IMG_0001.\u{20DD}NEF",
            "trip/Łódź_0001.JPG raw+jpeg: trip/Łódź_0001.JPG, trip/Łódź_0001.NEF",
            "trip/東京-edited.jpg edited: trip/東京-edited.jpg, trip/東京.jpg",
        ])
    }

    /// ASCII names are taken apart byte by byte (a build reads a million); they must part as the characters do.
    func testNamesPartByTheirBytesAsByTheirCharacters() {
        let names = ["img_2548.jpg", "img_e2548.jpg", "img_e.jpg", "img_e1.jpg", "img_e7", "img_e12x.jpg", "img_e2548",
                     "dsc04742-edited.jpg", "-edited.jpg", "x-edited", "pano_edited.tif", "p1000001 edited.jpg", "foto-bearbeitet.jpg", "photo-modifie.png", "a-edit.jpg",
                     "20180108_085120.jpg", "12345678901.jpg", "123456789.jpg", "no extension", ".hidden", "two.dots.jpeg",
                     "trailing.", "0.jpg", "a\r\n1.jpg", "img_0042-edited.dng", "img_e0042-edited.jpg", ""]
        for name in names {
            let bytes = Array(name.utf8).withUnsafeBufferPointer { StackName(ascii: $0) }, characters = StackName(characters: name)
            XCTAssertEqual(bytes.name, characters.name, name)
            XCTAssertEqual(bytes.shot, characters.shot, name)
            XCTAssertEqual(bytes.isEdited, characters.isEdited, name)
            XCTAssertEqual(bytes.sequence?.prefix, characters.sequence?.prefix, name)
            XCTAssertEqual(bytes.sequence?.number, characters.sequence?.number, name)
        }
        XCTAssertEqual(StackName(characters: "img_e2548.jpg").shot, "img_2548")
        XCTAssertEqual(StackName(characters: "img_e2548.jpg").sequence?.number, 2548)
    }

    /// A build shares the buckets between two threads; every bucket must come out as photo-by-photo updates stack it.
    func testABuildOnBothCoresStacksEveryBucketAsUpdatesDo() {
        var library = [SearchDocument]()
        for folder in 0..<40 {
            let id = Int64(folder * 10)
            library += [Self.photo(id + 1, "f\(folder)/DSC_0100.NEF", format: "raw"), Self.photo(id + 2, "f\(folder)/DSC_0100.JPG"),
                        Self.photo(id + 3, "f\(folder)/P100000\(folder % 7).JPG", taken: "2024-05-02T11:00:00", make: "Lumix"),
                        Self.photo(id + 4, "f\(folder)/P100000\(folder % 7 + 1).JPG", taken: "2024-05-02T11:00:01", make: "Lumix")]
            // Buckets of very different sizes, so the split falls between them unevenly.
            library += (0..<folder % 5).map { Self.photo(id + 5 + Int64($0), "f\(folder)/alone\($0)x.jpg") }
        }
        let built = SearchEngine(documents: library)
        let updated = SearchEngine(documents: [])
        for photo in library.shuffled() { updated.apply([.upsert(photo, vectors: [:])]) }
        for photo in library { XCTAssertEqual(built.stack(of: photo.id), updated.stack(of: photo.id), photo.path) }
        XCTAssertEqual(library.filter { built.stack(of: $0.id) != nil }.count, 160, "40 RAW+JPEG pairs and 40 bursts of two")
    }

    /// A folder's photos as built lie in one flat run; once changed, the bucket is kept apart from it: emptied, it
    /// stays empty (the run's photos never come back), and a photo added then is its only one.
    func testAFolderEmptiedAndFilledAgainKeepsOnlyItsNewPhoto() {
        let library = [Self.photo(1, "a/IMG_1.JPG"), Self.photo(2, "b/IMG_1.JPG"), Self.photo(3, "a/IMG_2.JPG"),
                       Self.photo(4, "c/x.jpg", content: "live-1"), Self.photo(5, "c/x.mov", format: "mov", content: "live-1")]
        let columns = SearchEngine(documents: library).columns
        var members = BucketMembers(columns) { _ in true }
        let folder = Stacks.bucket(columns, 0), live = Stacks.bucket(columns, 3)
        XCTAssertEqual(Array(members[folder]), [0, 2])
        XCTAssertEqual(Array(members[live]), [3, 4])
        XCTAssertEqual(Set(members.crowded.map { "\($0.bucket)" }), Set(["\(folder)", "\(live)"]), "folder b holds one photo")
        members.remove(0, from: folder)
        members.remove(2, from: folder)
        XCTAssertEqual(Array(members[folder]), [])
        XCTAssertFalse(members.all.contains { $0.bucket == folder })
        XCTAssertFalse(members.crowded.contains { $0.bucket == folder })
        members.add(7, to: folder)
        XCTAssertEqual(Array(members[folder]), [7])
        members.remove(3, from: live)
        members.remove(4, from: live)
        XCTAssertFalse(members.all.contains { $0.bucket == live }, "an emptied identifier is forgotten")
        XCTAssertEqual(members.all.count, 2)
    }

    /// Folders are screened from numbers and name bytes before their names are taken apart; a screen that passed
    /// over a folder with a stack would lose it. Random folders of few shots, cameras and seconds (RAW and JPEG
    /// copies, edits, series numbered in turn, near-identical looks, names beyond ASCII) stack the same screened or
    /// read in full, and so do folders where only the shot can tell.
    func testScreeningFoldersLosesNoStack() {
        let seed = UInt64.random(in: 1...UInt64.max)
        var random = SplitMix(seed: seed)
        var library = [SearchDocument]()
        func add(_ path: String, format: String = "jpeg", taken: String? = nil, make: String? = nil, looks: UInt64 = 0) {
            var document = Self.photo(Int64(library.count + 1), path, format: format, taken: taken, make: make)
            document.perceptualHash = looks
            library.append(document)
        }
        for folder in 0..<300 {
            // Half the folders taken within 8 s, half over ten minutes (where mostly the names tell).
            let spread = folder % 2 == 0 ? 8 : 600
            for _ in 0..<Int.random(in: 2...12, using: &random) {
                let number = 100 + Int.random(in: 0..<15, using: &random)
                let name = ["IMG_\(number)", "IMG_E\(number)", "IMG_\(number)-edited", "IMG_\(number)_edited", "IMG_\(number) edited",
                            "DSC\(number)", "Zürich \(number)", "beach"].randomElement(using: &random)!
                let (format, ext) = [("jpeg", ".JPG"), ("raw", ".CR2"), ("quicktime", ".MOV"), ("png", ".PNG"), ("jpeg", "")]
                    .randomElement(using: &random)!
                let second = Int.random(in: 0..<spread, using: &random)
                add("f\(folder)/\(name)\(ext)", format: format,
                    taken: Int.random(in: 0..<5, using: &random) > 0
                        ? String(format: "2024-06-01T09:%02d:%02d", second / 60, second % 60) : nil,
                    make: ["Canon", "Canon", "Lumix", "Lumix", nil].randomElement(using: &random)!,
                    looks: Int.random(in: 0..<4, using: &random) > 0 ? Self.looks(Int.random(in: 0..<4, using: &random)) : 0)
            }
        }
        // Only the shot tells: no camera, no time, no extension.
        add("shot/IMG_E101.JPG")
        add("shot/IMG_101.JPG")
        add("bare/scan", format: "raw")
        add("bare/scan.jpg")
        add("apart/IMG_0001.JPG", taken: "2024-06-01T09:00:00", make: "Canon")
        add("apart/IMG_0002.JPG", taken: "2024-06-01T09:00:03", make: "Canon")
        let engine = SearchEngine(documents: library)
        let buckets = BucketMembers(engine.columns) { _ in true }.all
        let (screened, full) = (StackReader(engine.columns), StackReader(engine.columns, screening: false))
        // In any order: a folder's stacks come out of dictionaries.
        let listed = { (stacks: [(kind: StackKind, members: [Int])]) in stacks.map { "\($0.kind) \($0.members)" }.sorted() }
        var (stacked, passedOver) = (0, 0)
        for (bucket, photos) in buckets {
            XCTAssertEqual(listed(screened.stacks(of: bucket, photos)), listed(full.stacks(of: bucket, photos)), "\(bucket), seed \(seed)")
            stacked += full.stacks(of: bucket, photos).count
            if case .folder = bucket, photos.count > 1, screened.screensOut(photos) { passedOver += 1 }
        }
        XCTAssertGreaterThan(stacked, 100, "the folders hold stacks to lose, seed \(seed)")
        for kind in [StackKind.rawJPEG, .live, .burst, .edited] {
            XCTAssertTrue(buckets.contains { full.stacks(of: $0.bucket, $0.photos).contains { $0.kind == kind } }, "\(kind), seed \(seed)")
        }
        XCTAssertGreaterThan(passedOver, 10, "the screen passes over folders without a stack, seed \(seed)")
        XCTAssertEqual(engine.stack(of: 1 + Int64(library.count) - 6)?.kind, .edited)
        XCTAssertEqual(engine.stack(of: 1 + Int64(library.count) - 4)?.kind, .rawJPEG)
        XCTAssertNil(engine.stack(of: 1 + Int64(library.count) - 2), "frames 3 s apart are no burst")
        XCTAssertTrue(screened.screensOut(ArraySlice(library.count - 2..<library.count)))
    }

    /// A folder too large to compare its names pair by pair, one with two cameras' series (and another format of
    /// one camera), and one of distinct names: each stacked as its shots and series tell, whichever way it is grouped.
    func testLargeFoldersAndMixedSeriesStackByTheirShotsAndSeries() {
        var library = (0..<38).map { Self.photo(Int64(100 + $0), "big/IMG_\(1000 + 2 * $0).JPG") }
        library += [Self.photo(200, "big/DSC_0100.NEF", format: "raw"), Self.photo(201, "big/DSC_0100.JPG")]
        // Numbers in turn and a second apart, but two cameras: two bursts, not one of four.
        library += [Self.photo(300, "mixed/IMG_0003.JPG", taken: "2024-05-02T11:00:02", make: "Lumix"),
                    Self.photo(301, "mixed/IMG_0001.JPG", taken: "2024-05-02T11:00:00", make: "Canon"),
                    Self.photo(302, "mixed/IMG_0004.JPG", taken: "2024-05-02T11:00:03", make: "Lumix"),
                    Self.photo(303, "mixed/IMG_0002.JPG", taken: "2024-05-02T11:00:01", make: "Canon"),
                    Self.photo(304, "mixed/IMG_0005.PNG", format: "png", taken: "2024-05-02T11:00:04", make: "Lumix")]
        library += [Self.photo(400, "small/IMG_0001.JPG", taken: "2024-05-02T11:00:00", make: "Canon"),
                    Self.photo(401, "small/IMG_0005.JPG", taken: "2024-05-02T11:00:01", make: "Canon")]
        // Nine series of two in one folder: more than are compared in turn.
        library += (0..<9).flatMap { series in
            (1...2).map { Self.photo(Int64(500 + 2 * series + $0), "many/\(["A", "B", "C", "D", "E", "F", "G", "H", "K"][series])_000\($0).JPG",
                                     taken: "2024-05-02T11:00:0\($0)", make: "Canon") }
        }
        let engine = SearchEngine(documents: library)
        for series in 0..<9 { XCTAssertEqual(engine.stack(of: Int64(501 + 2 * series))?.ids, [Int64(501 + 2 * series), Int64(502 + 2 * series)]) }
        XCTAssertEqual(engine.stack(of: 200)?.kind, .rawJPEG)
        XCTAssertEqual(engine.stack(of: 200)?.ids, [201, 200])
        XCTAssertEqual(engine.stack(of: 300)?.ids, [300, 302])
        XCTAssertEqual(engine.stack(of: 301)?.ids, [301, 303])
        XCTAssertEqual(engine.stack(of: 303)?.kind, .burst)
        for alone: Int64 in [100, 137, 304, 400, 401] { XCTAssertNil(engine.stack(of: alone), "\(alone)") }
        XCTAssertEqual(library.filter { engine.stack(of: $0.id) != nil }.count, 24)
    }
}

