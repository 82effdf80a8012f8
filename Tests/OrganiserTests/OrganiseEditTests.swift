import XCTest
@testable import Organiser
import Indexer
import TestSupport

/// `--fix-dates` and `--upright` on real photos: only the organised copy changes, only in what was asked, the
/// pixels turn without loss, and an undo puts every original byte and time back.
final class OrganiseEditTests: OrganiserTestCase {
    private func judge() throws -> TagComparison {
        guard let judge = TagComparison.locate() else { throw OrganiseTestError("exiftool is not installed; edits are judged by it") }
        return judge
    }

    /// exiftool's reading of some tags of a photo (-n: numbers as stored).
    private func tags(_ path: String, _ names: [String]) throws -> [String: Any] {
        let exiftool = try judge().exiftool
        let read = try runProgram(exiftool, ["-j", "-n"] + names.map { "-" + $0 } + [path])
        let files = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]]
        return try XCTUnwrap(files?.first)
    }

    private func photos(_ names: [String: String]) throws {
        for (folder, name) in names {
            let (url, reason) = Corpus.folder(folder)
            guard let url else { throw XCTSkip(reason) }
            _ = try scratch.copy([url.appendingPathComponent(name)], into: "source")
        }
    }

    private func item(_ plan: OrganisePlan, _ name: String) throws -> PlannedItem {
        try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/" + name) }, name)
    }

    func testUprightTurnsJPEGsLosslesslyAndChangesOnlyTheirOrientation() throws {
        let turned = ["pil-hopper_orientation_2.jpg": 2, "pil-hopper_orientation_3.jpg": 3, "pil-hopper_orientation_4.jpg": 4,
                      "pil-hopper_orientation_5.jpg": 5, "pil-hopper_orientation_6.jpg": 6, "pil-hopper_orientation_7.jpg": 7,
                      "pil-hopper_orientation_8.jpg": 8, "es-landscape_5.jpg": 5]
        for name in turned.keys { try photos(["exif/orientation": name]) }
        try photos(["exif/cameras": "mei-Samsung_GT-I9000_Galaxy_S.jpg"])  // 6, 4:2:2 chroma, a maker note
        try photos(["exif/cameras": "mei-Sony_Cybershot_3.jpg"])  // 6, but 450 rows is no whole number of 16-row blocks
        try photos(["exif/orientation": "es-landscape_1.jpg"])  // upright already
        let before = try tree(source)
        var request = try request(.copy)
        request.upright = true
        let plan = try OrganisePlanner.plan(request)
        XCTAssertEqual(try item(plan, "pil-hopper_orientation_6.jpg").changes, ["turned 90°"])
        XCTAssertEqual(try item(plan, "pil-hopper_orientation_8.jpg").changes, ["turned 270°"])
        XCTAssertEqual(try item(plan, "es-landscape_1.jpg").changes, [])
        let sony = try item(plan, "mei-Sony_Cybershot_3.jpg")
        XCTAssertEqual(sony.changes, [])
        XCTAssertTrue(sony.notChanged.first?.contains("whole number of the JPEG's pixel blocks") == true, "\(sony.notChanged)")

        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        XCTAssertEqual(outcome.notEdited, [])
        XCTAssertEqual(try tree(source), before, "the sources a copy keeps are never edited")
        let judge = try judge()
        let allowed = PhotoEdit.allowed(turned: LosslessTurn(orientation: 6), dated: false)
        for (name, orientation) in turned.merging(["mei-Samsung_GT-I9000_Galaxy_S.jpg": 6], uniquingKeysWith: { first, _ in first }) {
            let item = try item(outcome.plan, name)
            XCTAssertEqual(try tags(item.destination, ["Orientation"])["Orientation"] as? Int, 1, name)
            let changed = try judge.changes(from: item.source, to: item.destination)
                .filter { !$0.hasPrefix("Composite:") && !allowed.contains(String($0.split(separator: ":").last!)) }
            XCTAssertEqual(changed, [], "\(name): only the orientation and the size the turn swaps may change")
            // The turned pixels are the original's shown upright; the IDCT's row and column passes swap places in a
            // quarter turn, which may move a sample by one.
            let original = try DecodedJPEG(item.source), placed = try DecodedJPEG(item.destination)
            let difference = try XCTUnwrap(original.upright(orientation).largestDifference(from: placed), "\(name): the turned size")
            XCTAssertLessThanOrEqual(difference, 1, name)
            // Turned back by jpegtran, the DCT blocks are the original's exactly: nothing was lost.
            let back = scratch.path + "/back.jpg"
            let inverse = ["6": ["-rotate", "270"], "8": ["-rotate", "90"]][String(orientation)] ?? LosslessTurn(orientation: orientation)!.arguments
            XCTAssertEqual(try runProgram(try XCTUnwrap(programPath("jpegtran")), inverse + ["-outfile", back, item.destination]).status, 0)
            XCTAssertEqual(try DecodedJPEG(back), original, "\(name): turned back, every pixel is the original's")
        }
        let placedSony = try tree(into)[String(try item(outcome.plan, "mei-Sony_Cybershot_3.jpg").destination.dropFirst(into.count + 1))]
        XCTAssertEqual(placedSony, before["mei-Sony_Cybershot_3.jpg"], "a photo that cannot turn is organised as it was")
    }

    func testAPhotoWhoseSidecarAlsoRecordsItsOrientationIsNotTurned() throws {
        try photos(["exif/orientation": "pil-hopper_orientation_6.jpg"])
        try write("""
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>
            """, to: "source/pil-hopper_orientation_6.xmp")
        var request = try request(.copy)
        request.upright = true
        let item = try item(try OrganisePlanner.plan(request), "pil-hopper_orientation_6.jpg")
        XCTAssertEqual(item.changes, [])
        XCTAssertEqual(item.notChanged, ["not turned: its XMP records orientation 6 too, which a turn would leave wrong"])
    }

    func testFixDatesWritesOnlyMissingDatesAndNothingElse() throws {
        try photos(["content": "dk-scream.jpg", "exif/cameras": "mei-Nokia_3110c_Mobile_Phone.jpg"])
        try photos(["exif/cameras": "mei-Samsung_GT-I9000_Galaxy_S.jpg"])  // has its date: never rewritten
        let (folder, reason) = Corpus.folder("exif/orientation")
        guard let folder else { throw XCTSkip(reason) }
        try FileManager.default.copyItem(atPath: folder.appendingPathComponent("es-landscape_1.jpg").path, toPath: source + "/IMG_20190614_183012.jpg")
        try photos(["exif/orientation": "pil-exif_imagemagick_orientation.png"])
        let before = try tree(source)
        var request = try request(.copy)
        request.fixDates = true
        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        XCTAssertEqual(outcome.notEdited, [])
        XCTAssertEqual(try tree(source), before)
        let png = try item(outcome.plan, "pil-exif_imagemagick_orientation.png")
        XCTAssertEqual(png.changes, [])
        XCTAssertTrue(png.notChanged.first?.hasPrefix("date not written: a PNG file") == true, "\(png.notChanged)")
        let samsung = try item(outcome.plan, "mei-Samsung_GT-I9000_Galaxy_S.jpg")
        XCTAssertEqual(samsung.changes, [])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: samsung.destination)), try Data(contentsOf: URL(fileURLWithPath: samsung.source)))

        let named = try item(outcome.plan, "IMG_20190614_183012.jpg")
        XCTAssertEqual(named.changes, ["date written"])
        let written = try tags(named.destination, ["DateTimeOriginal", "CreateDate", "OffsetTimeOriginal"])
        XCTAssertEqual(written["DateTimeOriginal"] as? String, "2019:06:14 18:30:12")
        XCTAssertEqual(written["CreateDate"] as? String, "2019:06:14 18:30:12")
        XCTAssertNil(written["OffsetTimeOriginal"], "a file name says no offset")
        let judge = try judge()
        let allowed = PhotoEdit.allowed(turned: nil, dated: true)
        for name in ["dk-scream.jpg", "mei-Nokia_3110c_Mobile_Phone.jpg", "IMG_20190614_183012.jpg"] {
            let item = try item(outcome.plan, name)
            XCTAssertEqual(item.changes, ["date written"], name)
            let changed = try judge.changes(from: item.source, to: item.destination)
            XCTAssertTrue(changed.contains { $0.hasSuffix(":DateTimeOriginal") }, "\(name): \(changed)")
            XCTAssertEqual(changed.filter { !$0.hasPrefix("Composite:") && !allowed.contains(String($0.split(separator: ":").last!)) }, [],
                           "\(name): only the dates were added")
            // A file-time date knows its offset.
            if item.dateSource == .fileTime { XCTAssertNotNil(try tags(item.destination, ["OffsetTimeOriginal"])["OffsetTimeOriginal"], name) }
        }
        // Run again: each edited copy is its source's, already in place.
        let again = try OrganisePlanner.plan(request)
        XCTAssertEqual(Set(again.items.map(\.action)), [.skipDuplicate])
    }

    func testAnEditExiftoolWouldNotPassLeavesThePhotoAsItWas() throws {
        // A Canon PowerShot A5 JPEG keeps its date in a CIFF block exiv2 does not read; a new EXIF block disturbs it.
        try photos(["content": "es-sony-powershota5.jpg"])
        let before = try tree(source)
        var request = try request(.copy)
        request.fixDates = true
        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        XCTAssertEqual(outcome.notEdited.count, 1)
        XCTAssertTrue(outcome.notEdited.first?.contains("exiftool reads more changed than was asked (CIFF:") == true, "\(outcome.notEdited)")
        let item = try item(outcome.plan, "es-sony-powershota5.jpg")
        XCTAssertEqual(try tree(into)[String(item.destination.dropFirst(into.count + 1))], before["es-sony-powershota5.jpg"])
    }

    func testMovedAndEditedThenUndoneLeavesEveryByteAndTimeAsItWas() throws {
        try photos(["exif/orientation": "pil-hopper_orientation_6.jpg", "content": "dk-scream.jpg"])
        try photos(["exif/orientation": "es-landscape_8.jpg"])
        let before = try tree(source)
        var request = try request(.move)
        (request.fixDates, request.upright) = (true, true)
        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        XCTAssertEqual(try tree(source), [:])
        XCTAssertEqual(try item(outcome.plan, "pil-hopper_orientation_6.jpg").changes, ["date written", "turned 90°"])
        // Named as a person types it, from the destination's parent.
        let journal = try XCTUnwrap(outcome.journal)
        let here = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(here) }
        _ = FileManager.default.changeCurrentDirectoryPath(scratch.path)
        let undone = try Organiser.undo(journal: String(journal.dropFirst(scratch.path.count + 1)))
        XCTAssertEqual(undone.kept, [])
        XCTAssertEqual(undone.restored, 3)
        let after = try tree(source)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, file) in before { XCTAssertEqual(after[path], file, path) }
        XCTAssertEqual(try tree(into), [:])
        // The edited copies are set aside beside the journal, not deleted; the kept originals went back to their folders.
        XCTAssertEqual(undone.setAside.count, 3)
        let aside = try FileManager.default.contentsOfDirectory(atPath: OrganiseJournal.keptFolder(of: journal))
        XCTAssertEqual(aside.count, 3)
        XCTAssertTrue(aside.allSatisfy { $0.contains("-edited-") }, "\(aside)")
    }

    func testACorruptJPEGIsOrganisedAsItWasWithItsReason() throws {
        let (folder, reason) = Corpus.folder("exif/orientation")
        guard let folder else { throw XCTSkip(reason) }
        let whole = try Data(contentsOf: folder.appendingPathComponent("pil-hopper_orientation_6.jpg"))
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: source + "/cut-short.jpg"))
        let before = try tree(source)
        var request = try request(.copy)
        request.upright = true
        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        let item = try item(outcome.plan, "cut-short.jpg")
        XCTAssertEqual(item.changes, [])
        XCTAssertTrue(item.notChanged.first?.contains("Premature end of JPEG file") == true, "\(item.notChanged)")
        XCTAssertEqual(try tree(into)[String(item.destination.dropFirst(into.count + 1))], before["cut-short.jpg"])
    }

    func testAnOrientationStoredAsASignedShortIsNotTurned() throws {
        // exiftool and exiv2 read an SSHORT (type 8) Orientation 6 as 6, but it cannot be patched to 1 in place:
        // the pixels must not turn under it.
        let (folder, reason) = Corpus.folder("exif/orientation")
        guard let folder else { throw XCTSkip(reason) }
        var bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("pil-hopper_orientation_6.jpg")))
        let tiff = try XCTUnwrap(bytes.indices.first { bytes[$0...].starts(with: JPEGExif.signature) }) + 6
        let little = bytes[tiff] == 0x49
        func number(_ at: Int, _ width: Int) -> Int {
            (little ? bytes[at..<at + width].reversed() : Array(bytes[at..<at + width])).reduce(0) { $0 << 8 | Int($1) }
        }
        let ifd = tiff + number(tiff + 4, 4)
        let entry = try XCTUnwrap((0..<number(ifd, 2)).map { ifd + 2 + $0 * 12 }.first { number($0, 2) == 0x0112 })
        XCTAssertEqual(number(entry + 2, 2), 3, "Orientation is a SHORT in the corpus photo")
        bytes[little ? entry + 2 : entry + 3] = 8
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: source + "/signed.jpg"))
        XCTAssertEqual(try tags(source + "/signed.jpg", ["Orientation"])["Orientation"] as? Int, 6)
        let before = try tree(source)
        var request = try request(.copy)
        request.upright = true
        let outcome = try Organiser.apply(request)
        XCTAssertEqual(outcome.failures, [])
        let item = try item(outcome.plan, "signed.jpg")
        XCTAssertEqual(item.changes, ["turned 90°"])
        XCTAssertEqual(outcome.notEdited.count, 1)
        XCTAssertTrue(outcome.notEdited.first?.contains("not turned: its EXIF Orientation is not one SHORT or LONG value") == true,
                      "\(outcome.notEdited)")
        XCTAssertEqual(try tree(into)[String(item.destination.dropFirst(into.count + 1))], before["signed.jpg"],
                       "organised as it was, not turned under an Orientation still saying 6")
    }

    func testADateWriteWithNothingToAddKeepsTheEXIFAsItWas() throws {
        // Every date tag already there: exiv2 writes in place ("non-intrusive") and its blob stays empty.
        try photos(["exif/cameras": "mei-Samsung_GT-I9000_Galaxy_S.jpg"])
        let photo = source + "/mei-Samsung_GT-I9000_Galaxy_S.jpg"
        XCTAssertNotNil(try tags(photo, ["DateTimeDigitized"])["DateTimeDigitized"] ?? tags(photo, ["CreateDate"])["CreateDate"])
        let original = scratch.path + "/original.jpg"
        try FileManager.default.copyItem(atPath: photo, toPath: original)
        try DateFixing.write(CaptureDate(year: 2017, month: 7, day: 14), into: photo)  // no offset: nothing new
        // Written in place, exiv2 re-encodes the maker note exiftool could not parse, so its warning about it goes
        // (organise's own check would refuse that edit); every tag reads as it did.
        XCTAssertEqual(try judge().changes(from: original, to: photo).filter { !$0.hasPrefix("ExifTool:") }, [],
                       "the EXIF block is kept, not emptied")
        XCTAssertEqual(try tags(photo, ["DateTimeOriginal"])["DateTimeOriginal"] as? String, "2011:04:02 18:30:10")
    }

    func testAnOriginalThatChangedUnderUsIsNotKept() throws {
        try photos(["exif/orientation": "pil-hopper_orientation_6.jpg"])
        let photo = source + "/pil-hopper_orientation_6.jpg", kept = scratch.path + "/kept/1-photo.jpg"
        XCTAssertThrowsError(try KeptOriginal.keep(photo, at: kept, original: String(repeating: "0", count: 64))) { error in
            XCTAssertTrue("\(error)".contains("changed while it was being organised"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: kept))
        XCTAssertTrue(FileManager.default.fileExists(atPath: photo))
    }
}
