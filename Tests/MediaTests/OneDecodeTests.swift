import XCTest
@testable import Media
import TestSupport
import ViewfinderCore

/// The thumbnail and the preview from one decode must be the pictures the two separate paths make.
final class OneDecodeTests: XCTestCase {
    private func corpusFile(_ folder: String, _ name: String) throws -> [UInt8] {
        let (url, reason) = Corpus.folder(folder)
        guard let url else { throw XCTSkip(reason) }
        return [UInt8](try Data(contentsOf: url.appendingPathComponent(name)))
    }

    /// A picture's displayed size and its pixels at 32 px, decoded back from what was stored.
    private func look(_ encoded: [UInt8], format: MediaFormat) throws -> (size: [Int], rgb: [UInt8]) {
        let upright = try UprightDecoder(limits: IndexingLimits()).decode(encoded, format: format, orientation: 1, longEdge: 32)
        let rgb = try upright.picture.resized(toLongEdge: 32).inMemory(.thumbnail).rgbBytes()
        return ([upright.displayedWidth, upright.displayedHeight], rgb)
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        XCTAssertEqual(a.count, b.count)
        return Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(max(1, a.count))
    }

    /// Each orientation of a photo larger than the preview: the same thumbnail size as the thumbnail-only
    /// decode, the preview 1440 px and upright, both looking like the separate (libvips) preview path.
    func testOneDecodeMakesTheSamePicturesAsTwo() throws {
        let photo = try corpusFile("content", "es-28-hex_value.jpg")  // 1704×2272, sRGB
        let thumbnailer = Thumbnailer()
        for orientation in 1...8 {
            let both = try thumbnailer.renditions(photo, format: .jpeg, orientation: orientation, preview: true)
            let alone = try thumbnailer.thumbnail(photo, format: .jpeg, orientation: orientation)
            XCTAssertEqual([both.thumbnail.width, both.thumbnail.height], [alone.thumbnail.width, alone.thumbnail.height],
                           "orientation \(orientation)")
            let displayed = orientation >= 5 ? [2272, 1704] : [1704, 2272]
            XCTAssertEqual([both.displayedWidth, both.displayedHeight], displayed)
            let preview = try look(try XCTUnwrap(both.preview, "orientation \(orientation)"), format: .jpeg)
            XCTAssertEqual(preview.size, orientation >= 5 ? [1440, 1080] : [1080, 1440], "orientation \(orientation)")
            let separate = try look(try thumbnailer.preview(photo, format: .jpeg, orientation: orientation), format: .jpeg)
            XCTAssertLessThan(meanDifference(preview.rgb, separate.rgb), 4, "orientation \(orientation): preview")
            let thumbnail = try look(both.thumbnail.webp, format: .webp)
            XCTAssertLessThan(meanDifference(thumbnail.rgb, try look(alone.thumbnail.webp, format: .webp).rgb), 4,
                              "orientation \(orientation): thumbnail")
            XCTAssertLessThan(meanDifference(thumbnail.rgb, separate.rgb), 6, "orientation \(orientation): thumbnail vs preview")
        }
        // Ignoring the orientation gives another picture: the comparisons above can fail.
        let upright = try look(try XCTUnwrap(try thumbnailer.renditions(photo, format: .jpeg, orientation: 1, preview: true).preview),
                               format: .jpeg)
        let turned = try look(try XCTUnwrap(try thumbnailer.renditions(photo, format: .jpeg, orientation: 3, preview: true).preview),
                              format: .jpeg)
        XCTAssertGreaterThan(meanDifference(upright.rgb, turned.rgb), 20)
    }

    /// A preview is never larger than the photo, and a photo in another colour space is converted the same way.
    func testSmallAndAdobeRGBPhotos() throws {
        let thumbnailer = Thumbnailer()
        let hopper = try thumbnailer.renditions(try corpusFile("content", "pil-hopper.jpg"), format: .jpeg, orientation: 1, preview: true)
        XCTAssertEqual(try look(try XCTUnwrap(hopper.preview), format: .jpeg).size, [128, 128])
        let rocket = try corpusFile("content", "ski-rocket.jpg")  // Adobe RGB (1998): libvips and lcms
        let both = try thumbnailer.renditions(rocket, format: .jpeg, orientation: 1, preview: true)
        let preview = try look(try XCTUnwrap(both.preview), format: .jpeg)
        XCTAssertEqual(preview.size, [640, 427])
        let separate = try look(try thumbnailer.preview(rocket, format: .jpeg, orientation: 1), format: .jpeg)
        XCTAssertLessThan(meanDifference(preview.rgb, separate.rgb), 2)
    }

    /// Other formats keep their preview for a preview job: libjpeg's scaled decode is what makes one decode cheap.
    func testOtherFormatsLeaveThePreviewToItsJob() throws {
        let png = try corpusFile("content", "ski-coffee.png")
        let made = try Thumbnailer().renditions(png, format: .png, orientation: 1, preview: true)
        XCTAssertNil(made.preview)
        XCTAssertFalse(made.thumbnail.webp.isEmpty)
    }
}
