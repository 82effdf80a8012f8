import XCTest
@testable import Media
import ViewfinderCore

final class FormatSnifferTests: XCTestCase {
    private func detect(_ bytes: [UInt8], _ ext: String = "jpg") throws -> MediaFormat {
        try FormatSniffer.detect(bytes + [UInt8](repeating: 0, count: 32), fileExtension: ext)
    }

    private func ftyp(_ major: String, _ compatible: [String]) -> [UInt8] {
        let body = Array(major.utf8) + [0, 0, 0, 0] + compatible.flatMap { Array($0.utf8) }
        return [0, 0, 0, UInt8(8 + body.count)] + Array("ftyp".utf8) + body
    }

    func testContentDecidesNotTheName() throws {
        XCTAssertEqual(try detect([0xFF, 0xD8, 0xFF, 0xE1], "png"), .jpeg)
        XCTAssertEqual(try detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "jpg"), .png)
        XCTAssertEqual(try detect(Array("GIF89a".utf8)), .gif)
        XCTAssertEqual(try detect(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8)), .webp)
        XCTAssertEqual(try detect([0xFF, 0xD8, 0xFF, 0xE1], "mpo"), .mpo)
    }

    func testTIFFContainersAreRawOnlyWhenNamedSo() throws {
        XCTAssertEqual(try detect([0x49, 0x49, 0x2A, 0x00], "tif"), .tiff)
        XCTAssertEqual(try detect([0x4D, 0x4D, 0x00, 0x2A], "NEF"), .raw)
        XCTAssertEqual(try detect([0x49, 0x49, 0x2B, 0x00], "tif"), .tiff, "BigTIFF")
        XCTAssertEqual(try detect([0x49, 0x49, 0x55, 0x00], "jpg"), .raw, "Panasonic RW2 magic")
    }

    func testISOMediaBrandsSeparatePhotosFromVideos() throws {
        XCTAssertEqual(try detect(ftyp("heic", ["mif1", "heic"])), .heic)
        XCTAssertEqual(try detect(ftyp("mif1", ["avif", "miaf"])), .avif)
        XCTAssertEqual(try detect(ftyp("crx ", ["crx "])), .raw)
        XCTAssertThrowsError(try detect(ftyp("isom", ["isom", "mp41"]), "heic")) { error in
            XCTAssertTrue("\(error)".contains("video"), "\(error)")
        }
    }

    func testVideosAreKnownByTheirBytes() throws {
        XCTAssertEqual(try detect(ftyp("isom", ["isom", "mp41"]), "mp4"), .mp4)
        XCTAssertEqual(try detect(ftyp("M4V ", ["M4V ", "mp42"]), "m4v"), .mp4)
        XCTAssertEqual(try detect(ftyp("qt  ", ["qt  "]), "mov"), .quicktime)
        XCTAssertEqual(try detect(ftyp("3gp4", ["3gp4", "isom"]), "3gp"), .threeGPP)
        XCTAssertEqual(try detect([0, 0, 0, 8] + Array("wide".utf8), "mov"), .quicktime, "QuickTime without a file type box")
        XCTAssertEqual(try detect([0x1A, 0x45, 0xDF, 0xA3], "mkv"), .matroska)
        XCTAssertEqual(try detect(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI ".utf8), "avi"), .avi)
        var stream = [UInt8](repeating: 0xFF, count: 400)
        (stream[4], stream[196]) = (0x47, 0x47)
        XCTAssertEqual(try detect(stream, "mts"), .mpegTS, "AVCHD: a time code, then a sync byte every 192 bytes")
        XCTAssertTrue(MediaFormat.mp4.isVideo && !MediaFormat.heic.isVideo)
        // The name does not make a video of a photo: a JPEG called .mp4 is still a JPEG.
        XCTAssertEqual(try detect([0xFF, 0xD8, 0xFF, 0xE0], "mp4"), .jpeg)
    }

    func testNonPhotosGetASpecificReason() {
        let cases: [([UInt8], String)] = [
            ([], "empty file"),
            (Array("Hello, this is a README\n".utf8), "plain text"),
            (Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI ".utf8), "AVI video"),
            (Array("BM".utf8) + [0x36, 0, 0, 0], "BMP"),
        ]
        for (bytes, expected) in cases {
            XCTAssertThrowsError(try FormatSniffer.detect(bytes, fileExtension: "jpg")) { error in
                XCTAssertEqual((error as? IndexProblem)?.stage, .detect)
                XCTAssertTrue("\(error)".contains(expected), "'\(error)' should mention \(expected)")
            }
        }
    }
}
