import XCTest
@testable import Media
import CShims
import TestSupport
import ViewfinderCore

/// Decoding real files: every orientation upright, every format, and hostile files refused with a reason.
final class CorpusDecodingTests: XCTestCase {
    private func corpus(_ folder: String) throws -> URL {
        let (url, reason) = Corpus.folder(folder)
        guard let url else { throw XCTSkip(reason) }
        return url
    }

    private func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    /// A 32 px upright picture of the file, as RGB bytes, and the photo's displayed size.
    private func small(_ url: URL) throws -> (rgb: [UInt8], width: Int, height: Int, displayed: (Int, Int)) {
        let data = try bytes(url)
        let raw = try? MetadataReader.read(data)
        let format = try FormatSniffer.detect(data, fileExtension: url.pathExtension)
        let metadata = MetadataInterpreter.interpret(embedded: raw ?? RawMetadata(), sidecar: nil, format: format)
        let upright = try UprightDecoder(limits: IndexingLimits())
            .decode(data, format: format, orientation: metadata.orientation, longEdge: 64)
        let picture = try upright.picture.resized(toLongEdge: 32).inMemory(.thumbnail)
        return (try picture.rgbBytes(), picture.width, picture.height, (upright.displayedWidth, upright.displayedHeight))
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        XCTAssertEqual(a.count, b.count)
        return Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(max(1, a.count))
    }

    func testAllEightExifOrientationsComeOutUpright() throws {
        let folder = try corpus("exif/orientation")
        let reference = try small(folder.appendingPathComponent("es-landscape_1.jpg"))
        XCTAssertEqual(reference.displayed.0, 600)
        XCTAssertEqual(reference.displayed.1, 450)
        for n in 2...8 {
            let file = folder.appendingPathComponent("es-landscape_\(n).jpg")
            let picture = try small(file)
            XCTAssertEqual(picture.width, reference.width, "orientation \(n)")
            XCTAssertEqual(picture.displayed.0, 600, "orientation \(n): displayed width")
            XCTAssertEqual(picture.displayed.1, 450, "orientation \(n): displayed height")
            XCTAssertLessThan(meanDifference(picture.rgb, reference.rgb), 12, "orientation \(n) is not upright")
        }
        // The same file decoded while ignoring its orientation must differ: the check above has teeth.
        let data = try bytes(folder.appendingPathComponent("es-landscape_3.jpg"))
        let ignored = try UprightDecoder(limits: IndexingLimits()).decode(data, format: .jpeg, orientation: 1, longEdge: 64)
        let wrong = try ignored.picture.resized(toLongEdge: 32).inMemory(.thumbnail).rgbBytes()
        XCTAssertGreaterThan(meanDifference(wrong, reference.rgb), 30)
    }

    /// The WebP thumbnail itself, decoded back to 32 px RGB.
    private func thumbnailPixels(_ url: URL, limits: IndexingLimits = IndexingLimits()) throws -> [UInt8] {
        let data = try bytes(url)
        let raw = try? MetadataReader.read(data)
        let format = try FormatSniffer.detect(data, fileExtension: url.pathExtension)
        let orientation = MetadataInterpreter.interpret(embedded: raw ?? RawMetadata(), sidecar: nil, format: format).orientation
        let webp = try Thumbnailer(limits: limits).thumbnail(data, format: format, orientation: orientation).thumbnail.webp
        let decoded = try UprightDecoder(limits: IndexingLimits()).decode(webp, format: .webp, orientation: 1, longEdge: 32)
        return try decoded.picture.resized(toLongEdge: 32).inMemory(.thumbnail).rgbBytes()
    }

    func testWebPThumbnailsOfAllEightOrientationsLookAlike() throws {
        let folder = try corpus("exif/orientation")
        let reference = try thumbnailPixels(folder.appendingPathComponent("es-landscape_1.jpg"))
        for n in 2...8 {
            let pixels = try thumbnailPixels(folder.appendingPathComponent("es-landscape_\(n).jpg"))
            XCTAssertLessThan(meanDifference(pixels, reference), 12, "thumbnail of orientation \(n) is not upright")
        }
    }

    /// The libvips-free JPEG path and the libvips path must make the same picture.
    func testTheFastJPEGPathMatchesTheLibvipsPath() throws {
        let file = try corpus("content").appendingPathComponent("dk-kite.jpg")
        let data = try bytes(file)
        let fast = try Thumbnailer().thumbnail(data, format: .jpeg, orientation: 1)
        let upright = try UprightDecoder(limits: IndexingLimits()).decode(data, format: .jpeg, orientation: 1, longEdge: 256)
        let slow = try upright.picture.resized(toLongEdge: 256).inMemory(.thumbnail)
        XCTAssertEqual([fast.thumbnail.width, fast.thumbnail.height], [slow.width, slow.height])
        let fastPixels = try UprightDecoder(limits: IndexingLimits())
            .decode(fast.thumbnail.webp, format: .webp, orientation: 1, longEdge: 32).picture.resized(toLongEdge: 32)
            .inMemory(.thumbnail).rgbBytes()
        let slowPixels = try slow.resized(toLongEdge: 32).inMemory(.thumbnail).rgbBytes()
        XCTAssertLessThan(meanDifference(fastPixels, slowPixels), 6)
    }

    /// Adobe RGB numbers read as if they were sRGB look washed out; converted, the same pixels are more saturated.
    func testEmbeddedProfilesAreConvertedToSRGB() throws {
        let file = try corpus("content").appendingPathComponent("ski-rocket.jpg")
        let jpeg = try XCTUnwrap(try ScaledJPEG.decode(try bytes(file), atLeast: 256, limits: IndexingLimits()))
        XCTAssertFalse(jpeg.isSRGB, "Adobe RGB (1998) is not sRGB")
        var unmanaged = jpeg
        unmanaged.iccProfile = nil
        let decoder = UprightDecoder(limits: IndexingLimits())
        let managed = try decoder.upright(jpeg, orientation: 1).picture.rgbBytes()
        let naive = try decoder.upright(unmanaged, orientation: 1).picture.rgbBytes()
        func saturation(_ rgb: [UInt8]) -> Double {
            stride(from: 0, to: rgb.count - 2, by: 3).reduce(0.0) { sum, i in
                sum + Double(max(rgb[i], rgb[i + 1], rgb[i + 2]) - min(rgb[i], rgb[i + 1], rgb[i + 2]))
            } / Double(rgb.count / 3)
        }
        XCTAssertGreaterThan(meanDifference(managed, naive), 1)
        XCTAssertGreaterThan(saturation(managed), saturation(naive) * 1.15)
        // The stored thumbnail is the managed one: compare both after the same WebP round trip.
        func throughWebP(_ webp: [UInt8]) throws -> [UInt8] {
            try decoder.decode(webp, format: .webp, orientation: 1, longEdge: 256).picture.rgbBytes()
        }
        let stored = try throughWebP(Thumbnailer().thumbnail(try bytes(file), format: .jpeg, orientation: 1).thumbnail.webp)
        let unmanagedWebP = try decoder.upright(unmanaged, orientation: 1).picture.resized(toLongEdge: 256)
            .inMemory(.thumbnail).encoded({ vf_vips_save_webp($0, 75, $1, $2) }, .thumbnail)
        XCTAssertGreaterThan(saturation(stored), saturation(try throughWebP(unmanagedWebP)) * 1.15)
    }

    func testOrientationInTIFFAndSmallJPEGs() throws {
        let folder = try corpus("exif/orientation")
        let tiffReference = try small(folder.appendingPathComponent("pil-g4_orientation_1.tif"))
        for n in 2...5 {
            let picture = try small(folder.appendingPathComponent("pil-g4_orientation_\(n).tif"))
            XCTAssertLessThan(meanDifference(picture.rgb, tiffReference.rgb), 20, "TIFF orientation \(n)")
        }
        let hopper = try small(try corpus("content").appendingPathComponent("pil-hopper.jpg"))
        for n in 2...8 {
            let picture = try small(folder.appendingPathComponent("pil-hopper_orientation_\(n).jpg"))
            XCTAssertLessThan(meanDifference(picture.rgb, hopper.rgb), 12, "hopper orientation \(n)")
        }
    }

    /// rot1mir0 stores its pixels turned and an irot box that turns them back: applied exactly once,
    /// both files look the same.
    func testHEIFRotationIsAppliedOnce() throws {
        let folder = try corpus("exif/orientation")
        let straight = try small(folder.appendingPathComponent("pil-rot0mir0.avif"))
        let rotated = try small(folder.appendingPathComponent("pil-rot1mir0.avif"))
        XCTAssertEqual(rotated.displayed.0, straight.displayed.0)
        XCTAssertEqual(rotated.displayed.1, straight.displayed.1)
        XCTAssertLessThan(meanDifference(rotated.rgb, straight.rgb), 12)
        // iPhones write both irot and EXIF orientation 6: turned once, the photo stands upright.
        let iphone = try small(try corpus("exif/formats").appendingPathComponent("es-iphone_13_pro_max.HEIC"))
        XCTAssertEqual(iphone.displayed.0, 3024)
        XCTAssertEqual(iphone.displayed.1, 4032)
    }

    func testEveryFormatMakesAThumbnail() throws {
        let folder = try corpus("exif/formats")
        let analyzer = PhotoAnalyzer()
        var formats = Set<MediaFormat>()
        for file in Corpus.files(in: folder) {
            let photo = try analyzer.analyze(try bytes(file), fileExtension: file.pathExtension, sidecar: nil)
            let thumbnail = try XCTUnwrap(photo.thumbnail, file.lastPathComponent)
            XCTAssertEqual(Array(thumbnail.webp[8..<12]), Array("WEBP".utf8), file.lastPathComponent)
            XCTAssertEqual(max(thumbnail.width, thumbnail.height),
                           min(Thumbnailer.thumbnailEdge, max(photo.metadata.width, photo.metadata.height)),
                           file.lastPathComponent)
            XCTAssertGreaterThan(photo.metadata.width, 0)
            XCTAssertFalse(photo.thumbnail!.thumbhash.isEmpty)
            formats.insert(photo.metadata.format)
        }
        XCTAssertEqual(formats, [.jpeg, .heic, .avif, .png, .webp, .tiff, .gif])
        let mpo = try analyzer.analyze(try bytes(try corpus("content").appendingPathComponent("pil-sugarshack.mpo")),
                                       fileExtension: "mpo", sidecar: nil)
        XCTAssertEqual(mpo.metadata.format, .mpo)
        XCTAssertEqual(mpo.metadata.width, 640)
    }

    func testPreviewIsLongEdge1440AndNeverUpscaled() throws {
        let content = try corpus("content")
        let thumbnailer = Thumbnailer()
        let big = try thumbnailer.preview(try bytes(content.appendingPathComponent("es-28-hex_value.jpg")),
                                          format: .jpeg, orientation: 1)
        let small = try thumbnailer.preview(try bytes(content.appendingPathComponent("pil-hopper.jpg")),
                                            format: .jpeg, orientation: 1)
        XCTAssertEqual(try jpegSize(big), [1080, 1440])
        XCTAssertEqual(try jpegSize(small), [128, 128])
    }

    private func jpegSize(_ jpeg: [UInt8]) throws -> [Int] {
        let upright = try UprightDecoder(limits: IndexingLimits()).decode(jpeg, format: .jpeg, orientation: 1, longEdge: 8)
        return [upright.displayedWidth, upright.displayedHeight]
    }

    func testPixelLimitRefusesBeforeDecoding() throws {
        let data = try bytes(try corpus("malformed").appendingPathComponent("derived-hopper_sof_65500x65500.jpg"))
        XCTAssertThrowsError(try Thumbnailer().thumbnail(data, format: .jpeg, orientation: 1)) { error in
            XCTAssertTrue("\(error)".contains("65500x65500"), "\(error)")
        }
        // The same limit guards the libvips path (PNG here) and can be set by the user.
        let png = try bytes(try corpus("content").appendingPathComponent("ski-coins.png"))
        let strict = Thumbnailer(limits: IndexingLimits(maxPixels: 10_000))
        XCTAssertThrowsError(try strict.thumbnail(png, format: .png, orientation: 1)) { error in
            XCTAssertTrue("\(error)".contains("384x303"), "\(error)")
        }
    }
}
