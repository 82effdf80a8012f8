import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// Photos indexed before perceptual hashes were kept get theirs at the next run, from their stored thumbnail:
/// no file is read again, and the hash is the one a fresh index makes, give or take the thumbnail's WebP encoding.
final class PerceptualHashBackfillTests: XCTestCase {
    func testTheNextRunFillsInHashesFromThumbnailsWithoutReadingTheFiles() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let scratch = try ScratchFolder("backfill")
        defer { scratch.remove() }
        let photos = Corpus.files(in: content).filter { $0.pathExtension != "tsv" }
        try scratch.copy(photos, into: "library")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: renditions)
        let library = LibraryIndexer.canonical(scratch.path + "/library")
        XCTAssertEqual(try indexer.run(roots: [library], previews: false).perceptualHashesFilled, 0, "a fresh index hashes as it goes")
        let fresh = try store.presentPhotos()
        XCTAssertEqual(fresh.count, photos.count)
        XCTAssert(fresh.allSatisfy { $0.perceptualHash != nil })

        // As a catalogue made before the hash was kept holds them.
        let claim = JobClaim(owner: "test", until: Date().timeIntervalSince1970 + 60)
        for var photo in fresh {
            photo.perceptualHash = nil
            try store.enqueue([JobRecord(kind: .index, target: photo.path)])
            let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 1, for: claim).first)
            try store.commit([FinishedJob(job: job, change: .photo(photo, warnings: [], needsPreview: false))], owner: claim.owner)
        }
        XCTAssertEqual(try store.contentsWithoutPerceptualHash(after: "", limit: 100).count, photos.count)

        let again = try indexer.run(roots: [library], previews: false)
        XCTAssertEqual(again.queued, 0, "no file is read again")
        XCTAssertEqual(again.perceptualHashesFilled, photos.count)
        var apart = [Int]()
        for photo in try store.presentPhotos() {
            let before = try XCTUnwrap(fresh.first { $0.path == photo.path }?.looks)
            apart.append(try XCTUnwrap(photo.looks, photo.path).distance(to: before))
        }
        print("hash from the stored thumbnail vs. from the decode, bits apart: \(apart.sorted())")
        XCTAssertLessThanOrEqual(apart.max() ?? 64, 6)
        XCTAssertEqual(try indexer.run(roots: [library], previews: false).perceptualHashesFilled, 0, "nothing is left to fill")
    }
}
