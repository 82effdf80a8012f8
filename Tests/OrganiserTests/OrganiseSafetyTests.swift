import XCTest
@testable import Organiser
import TestSupport

/// What a fresh reviewer broke: an undo that deleted the last copy, a journal that named files elsewhere, a plan
/// that changed from run to run, and an inbox inside the library that was never organised.
final class OrganiseSafetyTests: OrganiserTestCase {
    func testUndoingACopyWhoseSourceIsGoneKeepsTheOnlyCopy() throws {
        try write("first", to: "source/a.jpg", modified: 1_500_000_000)
        let outcome = try Organiser.apply(try request(.copy))
        XCTAssertEqual(outcome.transferred, 1)
        try FileManager.default.removeItem(atPath: source + "/a.jpg")  // the card was formatted since
        let undone = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(undone.removed, 0)
        XCTAssertEqual(undone.kept.count, 1)
        XCTAssertEqual(try tree(into).count, 1, "the only copy stays")
    }

    func testUndoingAnUnfinishedRunThatKeepsAFileClosesItsJournal() throws {
        try write("one", to: "source/IMG_20190614_183012.jpg")
        try write("two", to: "source/IMG_20190615_090000.jpg")
        let outcome = try Organiser.apply(try request(.copy))
        let path = try XCTUnwrap(outcome.journal)
        // Killed before it wrote that it had finished; one copy edited since.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.contains("\"finished\"") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertNotNil(try OrganiseJournal.unfinished(in: into))
        try write("edited since", to: "sorted/2019/06/IMG_20190614_183012.jpg")

        let undone = try Organiser.undo(journal: path)
        XCTAssertEqual(undone.removed, 1)
        XCTAssertEqual(undone.kept.count, 1)
        XCTAssertEqual(try OrganiseJournal.read(path).last?.kind, .undone, "the undone run's journal is closed")
        XCTAssertNil(try OrganiseJournal.unfinished(in: into), "the next organise into this destination would resume the undone run")
        XCTAssertEqual(try String(contentsOfFile: into + "/2019/06/IMG_20190614_183012.jpg", encoding: .utf8), "edited since")
        // Undone again once the edit is taken back, the kept copy goes too.
        try write("one", to: "sorted/2019/06/IMG_20190614_183012.jpg")
        let retried = try Organiser.undo(journal: path)
        XCTAssertEqual(retried.removed, 1)
        XCTAssertEqual(retried.kept, [])
        XCTAssertEqual(try OrganiseJournal.read(path).filter { $0.kind == .undone }.count, 2, "each whole undo says so")
    }

    func testAJournalNamingFilesElsewhereTouchesNothing() throws {
        try write("keep me", to: "elsewhere/keep.txt")
        try write("first", to: "source/a.jpg", modified: 1_500_000_000)
        let victim = scratch.path + "/elsewhere/keep.txt"
        let folder = into + "/" + OrganiseJournal.folderName
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A planted, unfinished journal: its step names a file outside the destination.
        var start = JournalEntry(.start)
        (start.mode, start.sources, start.into) = (.copy, [source], into)
        var step = JournalEntry(.place, id: 1)
        (step.mode, step.source, step.destination, step.temporary) = (.copy, source + "/a.jpg", victim, victim)
        let journal = try OrganiseJournal(path: folder + "/journal-planted.jsonl")
        try journal.append(start)
        try journal.append(step)
        XCTAssertThrowsError(try Organiser.apply(try request(.copy)))
        XCTAssertThrowsError(try Organiser.undo(journal: journal.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: victim), "nothing outside the destination was removed")
    }

    func testAJournalNamingAKeptOriginalOutsideItsFolderTouchesNothing() throws {
        try write("a photo of mine", to: "sorted/2019/mine.jpg")
        try write("first", to: "source/a.jpg", modified: 1_500_000_000)
        let victim = into + "/2019/mine.jpg"
        let folder = into + "/" + OrganiseJournal.folderName
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Inside the destination, but not where this journal keeps originals: an undo must not remove it.
        var start = JournalEntry(.start)
        (start.mode, start.sources, start.into) = (.move, [source], into)
        var step = JournalEntry(.place, id: 1)
        (step.mode, step.source, step.destination) = (.move, source + "/a.jpg", into + "/2017/a.jpg")
        var edited = JournalEntry(.edited, id: 1)
        (edited.original, edited.sha256, edited.kept) = (String(repeating: "0", count: 64), String(repeating: "1", count: 64), victim)
        let journal = try OrganiseJournal(path: folder + "/journal-planted.jsonl")
        for entry in [start, step, edited] { try journal.append(entry) }
        XCTAssertThrowsError(try Organiser.apply(try request(.move)))
        XCTAssertThrowsError(try Organiser.undo(journal: journal.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: victim), "a photo the journal calls a kept original stays")
    }

    func testANameThatHoldsAFieldIsPlacedTheSameEveryTime() throws {
        let pattern = try LayoutPattern("{year}/{name}.{ext}")
        let date = try XCTUnwrap(FileNameDate.date(in: "IMG_20190614_183012"))
        for _ in 0..<20 {
            XCTAssertEqual(pattern.path(name: "scan {year} {ext}", ext: "jpg", date: date, camera: nil, place: nil),
                           "2019/scan {year} {ext}.jpg")
        }
        XCTAssertThrowsError(try Organiser.apply(OrganiseRequest(sources: [into], into: into, pattern: pattern, mode: .copy, shifts: [])))
    }

    func testAnInboxInsideTheDestinationIsOrganised() throws {
        try write("new", to: "sorted/inbox/IMG_20190614_183012.jpg")
        let plan = try OrganisePlanner.plan(OrganiseRequest(sources: [into + "/inbox"], into: into, pattern: try LayoutPattern(LayoutPattern.default),
                                                            mode: .move, shifts: []))
        XCTAssertEqual(plan.items.map(\.destination), [into + "/2019/06/IMG_20190614_183012.jpg"])
    }

    /// A `--move --upright` run stopped after it kept the original of source/a.jpg and before it named the turned
    /// copy: the journal, the kept original, and the half copy with the turn's and the EXIF patch's scratch files.
    private func stoppedEdit() throws -> (journal: OrganiseJournal, photo: String, kept: String, original: String) {
        try write("a photo", to: "source/a.jpg", modified: 1_500_000_000)
        let photo = source + "/a.jpg", destination = into + "/2017/a.jpg"
        let folder = into + "/" + OrganiseJournal.folderName
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let journal = try OrganiseJournal(path: folder + "/journal-stopped.jsonl")
        let original = try FileDigest.sha256(photo)
        var start = JournalEntry(.start)
        (start.mode, start.sources, start.into) = (.move, [source], into)
        var step = JournalEntry(.place, id: 1)
        (step.mode, step.source, step.destination) = (.move, photo, destination)
        (step.temporary, step.folders) = (Organiser.temporary(for: destination), [into + "/2017"])
        var edited = JournalEntry(.edited, id: 1)
        (edited.original, edited.sha256) = (original, String(repeating: "1", count: 64))
        edited.kept = KeptOriginal.path(for: 1, source: photo, journal: journal)
        for entry in [start, step, edited] { try journal.append(entry) }
        try KeptOriginal.keep(photo, at: try XCTUnwrap(edited.kept), original: original)
        let temporary = Organiser.temporary(for: destination)
        for half in [temporary, LosslessTurn.scratch(for: temporary), JPEGExif.scratch(for: temporary)] {
            try write("half", to: String(half.dropFirst(scratch.path.count + 1)))
        }
        return (journal, photo, try XCTUnwrap(edited.kept), original)
    }

    func testARerunKeepsTheOnlyCopyOfAMovedPhotosOriginal() throws {
        let (_, photo, kept, original) = try stoppedEdit()
        // Its source gone and its copy gone too (deleted by hand): the kept original is the only copy left.
        try FileManager.default.removeItem(atPath: photo)
        _ = try Organiser.apply(try request(.move))
        XCTAssertTrue(KeptOriginal.holds(kept, original), "the kept original is the photo's only copy")
    }

    func testUndoingARunStoppedBeforeTheEditedCopyWasNamedLeavesNothingBehind() throws {
        let (journal, photo, kept, _) = try stoppedEdit()
        let before = try tree(source)
        let undone = try Organiser.undo(journal: journal.path)
        XCTAssertEqual(undone.kept, [])
        XCTAssertEqual(try tree(source), before)
        XCTAssertEqual(try tree(into), [:], "no half copy or scratch file is left")
        XCTAssertFalse(FileManager.default.fileExists(atPath: kept), "the source holds the original, so the kept one goes")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: into + "/" + OrganiseJournal.folderName), ["journal-stopped.jsonl"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: into + "/2017"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: photo))
    }

    func testAnUndoNeverDeletesAFileOnTheJournalsWord() throws {
        try write("a photo of mine", to: "sorted/2019/mine.jpg")
        try write("a well-known file", to: "source/a.jpg")
        let victim = into + "/2019/mine.jpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        let folder = into + "/" + OrganiseJournal.folderName
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A planted journal says the photo is an edit of a file whose bytes anyone knows.
        var start = JournalEntry(.start)
        (start.mode, start.sources, start.into) = (.copy, [source], into)
        var step = JournalEntry(.place, id: 1)
        (step.mode, step.source, step.destination) = (.copy, source + "/a.jpg", victim)
        var edited = JournalEntry(.edited, id: 1)
        (edited.original, edited.sha256) = (try FileDigest.sha256(source + "/a.jpg"), try FileDigest.sha256(victim))
        var placed = JournalEntry(.placed, id: 1)
        placed.sha256 = edited.sha256
        let journal = try OrganiseJournal(path: folder + "/journal-planted.jsonl")
        for entry in [start, step, edited, placed, JournalEntry(.done, id: 1), JournalEntry(.finished)] { try journal.append(entry) }
        let undone = try Organiser.undo(journal: journal.path)
        let aside = OrganiseJournal.keptFolder(of: journal.path) + "/1-edited-mine.jpg"
        XCTAssertEqual(undone.setAside.count, 1)
        XCTAssertTrue(undone.setAside.first?.contains(aside) == true, "\(undone.setAside)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: aside)), bytes, "set aside in the journal's folder, not deleted")
    }
}
