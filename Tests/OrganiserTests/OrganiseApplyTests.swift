import XCTest
import Organiser
import TestSupport

/// Applying and undoing on real photos: every byte, time and permission back as it was.
final class OrganiseApplyTests: OrganiserTestCase {
    func testMoveThenUndoLeavesEveryByteAndTimeAsItWas() throws {
        try copyCorpus()
        chmod(source + "/content/dk-dog.jpg", 0o600)
        let before = try tree(source)
        let outcome = try Organiser.apply(try request(.move))
        XCTAssertEqual(outcome.failures, [])
        XCTAssertEqual(try tree(source), [:], "every photo moved")
        let placed = try tree(into)
        XCTAssertEqual(placed.count, before.count)
        // The moved files keep their bytes, times and permissions.
        for item in outcome.plan.items {
            let relative = String(item.destination.dropFirst(into.count + 1)), original = String(item.source.dropFirst(source.count + 1))
            XCTAssertEqual(placed[relative], before[original], relative)
        }
        let undone = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(undone.kept, [])
        XCTAssertEqual(undone.restored, before.count)
        let after = try tree(source)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, file) in before { XCTAssertEqual(after[path], file, path) }
        XCTAssertEqual(try tree(into), [:], "nothing left in the layout")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: into), [".viewfinder-organise"], "the folders it made are gone")
    }

    /// An undo killed after a photo got its old name back (a hard link to the hidden copy) but before the hidden
    /// name was removed: run again, it leaves no hidden copy beside the photo.
    func testAnUndoKilledBetweenNamingAndTidyingLeavesNoHiddenCopy() throws {
        try copyCorpus(["exif/cameras"])
        let before = try tree(source)
        let outcome = try Organiser.apply(try request(.move))
        let item = try XCTUnwrap(outcome.plan.items.first)
        let old = URL(fileURLWithPath: item.source)
        let hidden = old.deletingLastPathComponent().path + "/." + old.lastPathComponent + ".viewfinder-organise"
        try FileManager.default.createDirectory(atPath: old.deletingLastPathComponent().path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: item.destination, toPath: hidden)
        XCTAssertEqual(link(hidden, item.source), 0, String(cString: strerror(errno)))
        let undone = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(undone.kept, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: hidden), "the hidden copy was left beside \(item.source)")
        XCTAssertEqual(try tree(source).keys.sorted(), before.keys.sorted())
        XCTAssertEqual(try tree(into), [:])
    }

    func testCopyThenUndoRemovesOnlyTheCopies() throws {
        try copyCorpus(["exif/cameras"])
        try write("mine", to: "sorted/2008/05/notes.txt")
        let before = try tree(source)
        let outcome = try Organiser.apply(try request(.copy))
        XCTAssertEqual(try tree(source), before, "copying leaves the sources as they were")
        XCTAssertEqual(try tree(into).count, before.count + 1)
        let undone = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(undone.removed, before.count)
        XCTAssertEqual(try tree(into).keys.sorted(), ["2008/05/notes.txt"], "a file that was there before stays")
        // Undo again: there is nothing left to do, and nothing else is touched.
        XCTAssertEqual(try Organiser.undo(journal: try XCTUnwrap(outcome.journal)).removed, 0)
        XCTAssertEqual(try tree(source), before)
    }

    func testSidecarsAndLivePhotoMoviesTravelWithTheirPhoto() throws {
        let (url, reason) = Corpus.folder("exif/cameras")
        guard let url else { throw XCTSkip(reason) }
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: url.path + "/es-Canon_40D.jpg", toPath: source + "/IMG_0001.JPG")
        try write("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", to: "source/IMG_0001.JPG.xmp")
        try write("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", to: "source/IMG_0001.XMP")
        try write("a live photo's movie", to: "source/IMG_0001.MOV")
        // Another photo of that name and day elsewhere takes the name first: the group moves under a suffix together.
        try write("other", to: "sorted/2008/05/IMG_0001.JPG")
        let plan = try OrganisePlanner.plan(try request(.move))
        let item = try XCTUnwrap(plan.items.first)
        XCTAssertEqual(plan.items.count, 1, "companions are no photos of their own")
        XCTAssertEqual(item.destination, into + "/2008/05/IMG_0001-1.JPG")
        XCTAssertEqual(item.companions.map(\.destination).sorted(),
                       ["IMG_0001-1.JPG.xmp", "IMG_0001-1.MOV", "IMG_0001-1.XMP"].map { into + "/2008/05/" + $0 })
        let before = try tree(source)
        let outcome = try Organiser.apply(try request(.move))
        XCTAssertEqual(outcome.transferred, 4)
        XCTAssertEqual(try tree(source), [:])
        XCTAssertEqual(try String(contentsOfFile: into + "/2008/05/IMG_0001-1.MOV", encoding: .utf8), "a live photo's movie")
        _ = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(try tree(source), before)
        XCTAssertEqual(try tree(into).keys.sorted(), ["2008/05/IMG_0001.JPG"])
    }

    func testAChangedCopyIsNotUndone() throws {
        try write("one", to: "source/IMG_20190614_183012.jpg")
        let outcome = try Organiser.apply(try request(.copy))
        try write("edited since", to: "sorted/2019/06/IMG_20190614_183012.jpg")
        let undone = try Organiser.undo(journal: try XCTUnwrap(outcome.journal))
        XCTAssertEqual(undone.removed, 0)
        XCTAssertEqual(undone.kept.count, 1)
        XCTAssertEqual(try String(contentsOfFile: into + "/2019/06/IMG_20190614_183012.jpg", encoding: .utf8), "edited since")
    }
}
