import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
import TestSupport

/// The indexer's write-back touches the photos it writes and nothing else under the library.
final class LibraryWriteBackTests: XCTestCase {
    private var scratch: ScratchFolder!

    override func setUpWithError() throws { scratch = try ScratchFolder("library-write-back") }
    override func tearDown() { scratch.remove() }

    func testWriteBackInFileChangesOnlyThePhotosItWrites() throws {
        let (cameras, reason) = Corpus.folder("exif/cameras")
        guard let cameras else { throw XCTSkip(reason) }
        _ = try requireExiftool()
        let library = scratch.path + "/library"
        // One written whole, one that cannot be (exiv2 would drop its rdf:about), one left alone (a read-only photo).
        let names = ["es-Canon_40D.jpg", "mei-FujiFilm_FinePixS2Pro.jpg", "mei-Nikon_D1X.jpg"]
        for photo in try scratch.copy(names.map { cameras.appendingPathComponent($0) }, into: "library") {
            chmod(photo.path, photo.lastPathComponent == names[2] ? 0o444 : 0o644)
        }
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite"))
        _ = try indexer.run(roots: [library])
        let before = try LibraryFingerprint.of(library)
        let summary = try indexer.run(roots: [library], vision: FakeVision(caption: "A written caption."), writeBack: .inFile)
        XCTAssertEqual(summary.described, 3)
        let after = try LibraryFingerprint.of(library)
        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }
        XCTAssertEqual(changed, ["es-Canon_40D.jpg", "mei-FujiFilm_FinePixS2Pro.jpg.xmp"])
        let problems = try store.problems(at: LibraryIndexer.canonical(library + "/mei-FujiFilm_FinePixS2Pro.jpg"))
        XCTAssertTrue(problems.contains { $0.reason.contains("XMP-rdf:About") }, "\(problems)")
        XCTAssertEqual(try indexer.run(roots: [library]).indexed, 0, "the catalogue follows what was written")
    }
}
