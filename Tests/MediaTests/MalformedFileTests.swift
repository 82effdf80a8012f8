import XCTest
@testable import Media
import TestSupport
import ViewfinderCore

/// Every broken file gets a specific reason; nothing crashes or hangs.
final class MalformedFileTests: XCTestCase {
    /// Parser stress cases that decode cleanly and must simply index: exiftool's validator finds nothing
    /// wrong with most of them; the fuzz TIFF has only out-of-order IFD entries, which libtiff accepts.
    static let validDespiteTheirReputation: Set<String> = [
        "es-image00971.jpg", "es-image01088.jpg", "es-image01137.jpg", "es-image01551.jpg", "es-image01713.jpg",
        "pil-decompression_bomb_extents.gif", "pil-crash-0da013a13571cc8eb457a39fee8db18f8a3c7127.tif",
    ]

    func testEveryMalformedFileIsRefusedOrFlagged() throws {
        let (folder, reason) = Corpus.folder("malformed")
        guard let folder else { throw XCTSkip(reason) }
        let analyzer = PhotoAnalyzer()
        var refused = 0, flagged = 0
        for file in Corpus.files(in: folder) {
            let name = file.lastPathComponent
            let data = [UInt8](try Data(contentsOf: file))
            do {
                let photo = try analyzer.analyze(data, fileExtension: file.pathExtension, sidecar: nil)
                if Self.validDespiteTheirReputation.contains(name) {
                    XCTAssertNotNil(photo.thumbnail, name)
                    continue
                }
                XCTAssertFalse(photo.warnings.isEmpty, "\(name) was indexed without a word about what is wrong with it")
                XCTAssertTrue(photo.warnings.allSatisfy { $0.reason.count > 10 }, name)
                flagged += 1
            } catch {
                XCTAssertGreaterThan(error.reason.count, 10, "\(name): '\(error.reason)' is not a reason")
                XCTAssertFalse(error.reason.contains("libvips gave no reason") && error.stage != .decode, name)
                refused += 1
            }
        }
        XCTAssertGreaterThanOrEqual(refused, 15)
        XCTAssertGreaterThanOrEqual(flagged, 10)
    }
}
