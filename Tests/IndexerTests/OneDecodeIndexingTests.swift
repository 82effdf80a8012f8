import XCTest
@testable import Indexer
@testable import Media
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// A default index decodes each JPEG once for both its thumbnail and its preview; other formats, and previews
/// turned on later, still get a preview job.
final class OneDecodeIndexingTests: XCTestCase {
    private var scratch: ScratchFolder!

    override func setUpWithError() throws { scratch = try ScratchFolder("one-decode") }

    override func tearDown() { scratch.remove() }

    private struct Catalogue {
        let store: SQLiteStore
        let renditions: SQLiteRenditionStore
        let indexer: LibraryIndexer

        init(_ folder: String) throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try SQLiteStore(path: folder + "/catalogue.sqlite")
            renditions = try SQLiteRenditionStore(path: folder + "/thumbnails.sqlite")
            indexer = LibraryIndexer(store: store, renditions: renditions, threads: 2)
        }
    }

    /// EXIF-rotated corpus JPEGs (with and without a colour profile), a photo larger than the preview, and a PNG.
    private func makeLibrary() throws -> (jpegs: [String], png: String) {
        let (orientation, reason) = Corpus.folder("exif/orientation")
        let (content, _) = Corpus.folder("content")
        guard let orientation, let content else { throw XCTSkip(reason) }
        let rotated = (1...8).map { orientation.appendingPathComponent("es-landscape_\($0).jpg") }
            + (2...8).map { orientation.appendingPathComponent("pil-hopper_orientation_\($0).jpg") }
        let jpegs = try scratch.copy(rotated + [content.appendingPathComponent("es-28-hex_value.jpg")], into: "library")
        let png = try scratch.copy([content.appendingPathComponent("ski-coffee.png")], into: "library")
        return (jpegs.map { LibraryIndexer.canonical($0.path) }, LibraryIndexer.canonical(png[0].path))
    }

    private func size(_ picture: [UInt8], _ format: MediaFormat) throws -> [Int] {
        let upright = try UprightDecoder(limits: IndexingLimits()).decode(picture, format: format, orientation: 1, longEdge: 8)
        return [upright.displayedWidth, upright.displayedHeight]
    }

    private func pixels(_ jpeg: [UInt8]) throws -> [UInt8] {
        try UprightDecoder(limits: IndexingLimits()).decode(jpeg, format: .jpeg, orientation: 1, longEdge: 32)
            .picture.resized(toLongEdge: 32).inMemory(.thumbnail).rgbBytes()
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        XCTAssertEqual(a.count, b.count)
        return Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(max(1, a.count))
    }

    func testADefaultIndexMakesEachJPEGsPreviewWithItsThumbnail() throws {
        let (jpegs, png) = try makeLibrary()
        let both = try Catalogue(scratch.path + "/both")
        let summary = try both.indexer.run(roots: [scratch.path + "/library"])
        XCTAssertEqual(summary.indexed, jpegs.count + 1)
        XCTAssertEqual(summary.previewsWithThumbnails, jpegs.count, "each JPEG's preview came from its thumbnail's decode")
        XCTAssertEqual(summary.previews, jpegs.count + 1, "only the PNG needed a preview job")
        XCTAssertEqual(try both.store.pendingJobCount(.preview), 0)
        // The thumbnail-only path, for comparison.
        let alone = try Catalogue(scratch.path + "/alone")
        _ = try alone.indexer.run(roots: [scratch.path + "/library"], previews: false)
        XCTAssertEqual(try alone.store.pendingJobCount(.preview), jpegs.count + 1, "kept for a run with previews")

        var landscape: [UInt8]?
        for path in jpegs + [png] {
            let photo = try XCTUnwrap(try both.store.photo(atPath: path), path)
            let name = URL(fileURLWithPath: path).lastPathComponent
            let thumbnail = try XCTUnwrap(try both.renditions.get(hash: photo.contentHash, kind: .thumbnail), name)
            let thumbnailAlone = try XCTUnwrap(try alone.renditions.get(hash: photo.contentHash, kind: .thumbnail), name)
            XCTAssertEqual(try size(thumbnail, .webp), try size(thumbnailAlone, .webp), name)
            let preview = try XCTUnwrap(try both.renditions.get(hash: photo.contentHash, kind: .preview), name)
            let fitted = SmallPicture.fitted(width: photo.width, height: photo.height, longEdge: Thumbnailer.previewEdge)
            XCTAssertEqual(try size(preview, .jpeg), [fitted.width, fitted.height], name)
            if name.hasPrefix("es-landscape") {
                XCTAssertEqual([photo.width, photo.height], [600, 450], "\(name) is displayed upright")
                if let landscape {
                    XCTAssertLessThan(meanDifference(try pixels(preview), landscape), 12, "\(name): preview upright")
                } else {
                    landscape = try pixels(preview)
                }
            }
        }
        XCTAssertEqual(try size(try XCTUnwrap(try both.renditions.get(
            hash: try XCTUnwrap(try both.store.photo(atPath: jpegs.last!)).contentHash, kind: .preview)), .jpeg), [1080, 1440])
    }

    func testPreviewsTurnedOnLaterComeFromTheirOwnJobs() throws {
        let (jpegs, _) = try makeLibrary()
        let catalogue = try Catalogue(scratch.path + "/data")
        let first = try catalogue.indexer.run(roots: [scratch.path + "/library"], previews: false)
        XCTAssertEqual(first.previews, 0)
        XCTAssertEqual(try catalogue.store.pendingJobCount(.preview), jpegs.count + 1)
        let second = try catalogue.indexer.run(roots: [scratch.path + "/library"])
        XCTAssertEqual(second.indexed, 0, "nothing changed: no thumbnail decode to share")
        XCTAssertEqual(second.previews, jpegs.count + 1)
        XCTAssertEqual(second.previewsWithThumbnails, 0)
        for path in jpegs {
            let hash = try XCTUnwrap(try catalogue.store.photo(atPath: path)).contentHash
            XCTAssertTrue(try catalogue.renditions.contains(hash: hash, kind: .preview), path)
        }
    }
}
