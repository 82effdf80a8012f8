import CShims
import XCTest
@testable import Media
import TestSupport
import ViewfinderCore

/// MetadataFuzz's first finding, on unmutated corpus files: libvips 8.14.1 (Debian 12) frees heifload's EXIF
/// blob while the thumbnail still points at it, and the WebP save reads it (heap-use-after-free in
/// vips__exif_update, libvips#3725). Only AddressSanitizer sees the read itself (scripts/fuzz replays these files
/// under it first); here the decoded thumbnail must carry no loader metadata, and every such file must thumbnail.
final class HeifMetadataLifetimeTests: XCTestCase {
    /// The corpus's HEIC and AVIF files: the three that tripped ASan (pil-exif.avif, es-samplefilehub.heif,
    /// mei-32Bit-72dpi-sRGB-800x600.avif) and the rest of their kind.
    func heifFiles() throws -> [URL] {
        var files = [URL]()
        for folder in ["exif/formats", "exif/orientation", "content"] {
            let (url, reason) = Corpus.folder(folder)
            guard let url else { throw XCTSkip(reason) }
            files += Corpus.files(in: url).filter { ["heic", "heif", "avif"].contains($0.pathExtension.lowercased()) }
        }
        XCTAssertGreaterThanOrEqual(files.count, 3)
        return files
    }

    func testDecodedThumbnailsCarryNoLoaderMetadata() throws {
        XCTAssertTrue(VipsPicture.started)
        for file in try heifFiles() {
            let bytes = [UInt8](try Data(contentsOf: file))
            let image = try XCTUnwrap(bytes.withUnsafeBufferPointer { vf_vips_thumbnail_buffer($0.baseAddress, $0.count, 256, 0) },
                                      file.lastPathComponent)
            defer { vf_vips_unref(image) }
            for field in ["exif-data", "xmp-data", "iptc-data"] {
                XCTAssertEqual(vips_image_get_typeof(image, field), 0, "\(file.lastPathComponent) still holds \(field)")
            }
        }
    }

    func testEveryHeifAndAvifThumbnails() throws {
        let analyzer = PhotoAnalyzer()
        for file in try heifFiles() {
            let photo = try analyzer.analyze([UInt8](try Data(contentsOf: file)), fileExtension: file.pathExtension, sidecar: nil)
            let thumbnail = try XCTUnwrap(photo.thumbnail, file.lastPathComponent)
            XCTAssertEqual(Array(thumbnail.webp.prefix(4)), Array("RIFF".utf8), file.lastPathComponent)
            XCTAssertTrue((1...256).contains(max(thumbnail.width, thumbnail.height)), file.lastPathComponent)
        }
    }
}
