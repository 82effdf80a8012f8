import Foundation
import TestSupport
import XCTest
@testable import Media

/// The identifiers stacks need, from the maker note Apple's cameras write (exiv2 0.27 passes it on as bytes).
final class AppleMakerNoteTests: XCTestCase {
    /// "Apple iOS", version 1, "MM", then a big-endian IFD whose offsets count from the note's start.
    private func note(_ entries: [(tag: UInt16, value: String)]) -> [UInt8] {
        var head = Array("Apple iOS".utf8) + [0, 0, 1] + Array("MM".utf8)
        head += [UInt8(entries.count >> 8), UInt8(entries.count & 0xFF)]
        var data = [UInt8]()
        let dataStart = head.count + entries.count * 12 + 4
        for (tag, value) in entries {
            let bytes = Array(value.utf8) + [0]
            let offset = dataStart + data.count
            head += [UInt8(tag >> 8), UInt8(tag & 0xFF), 0, 2] + withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init)
            head += bytes.count <= 4 ? bytes + Array(repeating: 0, count: 4 - bytes.count) : withUnsafeBytes(of: UInt32(offset).bigEndian, Array.init)
            if bytes.count > 4 { data += bytes }
        }
        return head + [0, 0, 0, 0] + data
    }

    func testContentAndBurstIdentifiersAreRead() throws {
        let bytes = note([(0x0001, "x"), (0x000B, "B7E4A1C2-0000-4000-8000-000000000001"), (0x0011, "570F1469-09C7-4E50-9875-05F21D5BD166")])
        let parsed = try XCTUnwrap(AppleMakerNote(exiv2Text: bytes.map(String.init).joined(separator: " ")))
        XCTAssertEqual(parsed.burstIdentifier, "B7E4A1C2-0000-4000-8000-000000000001")
        XCTAssertEqual(parsed.contentIdentifier, "570F1469-09C7-4E50-9875-05F21D5BD166")
        XCTAssertNil(AppleMakerNote(exiv2Text: "67 97 110 111 110 0"), "another maker's note")
        // Cut short, its offsets point past the end: nothing is read, nothing traps.
        XCTAssertNil(AppleMakerNote(bytes: Array(bytes.prefix(60)))?.contentIdentifier)
    }

    func testAnIPhonePhotoNamesItsLivePhoto() throws {
        let (folder, reason) = Corpus.folder("content")
        guard let folder else { throw XCTSkip(reason) }
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent("es-IMG_5195.HEIC")))
        let metadata = MetadataInterpreter.interpret(embedded: try MetadataReader.read(bytes), sidecar: nil, format: .heic)
        // As exiftool reads it (Apple:MediaGroupUUID).
        XCTAssertEqual(metadata.contentIdentifier, "570F1469-09C7-4E50-9875-05F21D5BD166")
        XCTAssertNil(metadata.burstIdentifier)
    }
}
