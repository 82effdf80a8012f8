import Foundation
import Indexer
import Media
import TestSupport
import XCTest

/// Write-back on real camera files, checked with exiftool: the image data bytes never change, maker notes
/// survive (Apple's too), sidecars keep what they had, read-only or changed photos are refused, and a photo that
/// cannot be written whole keeps its bytes and gets a sidecar.
final class WriteBackTests: XCTestCase {
    var scratch: ScratchFolder!

    override func setUpWithError() throws { scratch = try ScratchFolder("write-back") }
    override func tearDown() { scratch.remove() }

    func camera(_ names: [String]) throws -> [URL] {
        let (folder, reason) = Corpus.folder("exif/cameras")
        guard let folder else { throw XCTSkip(reason) }
        let copies = try scratch.copy(names.map { folder.appendingPathComponent($0) }, into: "library")
        for copy in copies { chmod(copy.path, 0o644) }  // the corpus itself is read-only
        return copies
    }

    func exiftool(_ arguments: [String]) throws -> String {
        try runProgram(try requireExiftool(), arguments).stdout
    }

    /// Everything from the first start-of-scan marker on: the compressed pixels.
    static func scanData(_ url: URL) throws -> Data {
        let bytes = try Data(contentsOf: url)
        var offset = 2
        while offset + 4 <= bytes.count {
            let marker = bytes[offset + 1]
            if marker == 0xDA { return bytes.subdata(in: offset..<bytes.count) }
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        throw XCTSkip("no start of scan in \(url.lastPathComponent)")
    }

    func testInFileIsLosslessAndKeepsMakerNotes() throws {
        for photo in try camera(["mei-Canon_EOS_REBEL_T3i.jpg", "mei-Issue_508.jpg", "mei-Olympus_PEN_E-P3.jpg", "mei-Nikon_D1X.jpg"]) {
            let pixels = try Self.scanData(photo)
            let makerNotes = try exiftool(["-s", "-MakerNotes:all", photo.path])
            XCTAssertFalse(makerNotes.isEmpty, "\(photo.lastPathComponent) has maker notes to keep")
            let exifDescription = try exiftool(["-s", "-s", "-s", "-EXIF:ImageDescription", photo.path])
            // The Nikon's IPTC caption is a person's: it is kept and only the tags are written.
            let kept = ownDescription(Array(try Data(contentsOf: photo)))
            let caption = "A camera test, with \"quotes\" and ünïcode."
            let outcome = try MetadataWriter.write(caption: kept == nil ? caption : nil, tags: ["test", "camera"],
                                                   to: photo.path, mode: .inFile, indexedHash: nil)
            XCTAssertNil(outcome.warning)
            let rewrite = outcome.rewrite
            XCTAssertEqual(try Self.scanData(photo), pixels, "\(photo.lastPathComponent): image data changed")
            let after = try exiftool(["-s", "-MakerNotes:all", photo.path])
            // Offsets move with the maker note block; every value must survive.
            func values(_ listing: String) -> Set<Substring> {
                Set(listing.split(separator: "\n").filter { !$0.contains("Start ") && !$0.contains("Offset ") })
            }
            let lost = values(makerNotes).subtracting(values(after))
            XCTAssertEqual(lost, [], "\(photo.lastPathComponent) lost maker notes")
            XCTAssertEqual(try exiftool(["-s", "-s", "-s", "-XMP-digiKam:TagsList", photo.path]), "test, camera\n")
            XCTAssertEqual(ownDescription(Array(try Data(contentsOf: photo))), kept ?? caption)
            // The Exif block is never re-encoded, so its description stays as the camera wrote it.
            XCTAssertEqual(try exiftool(["-s", "-s", "-s", "-EXIF:ImageDescription", photo.path]), exifDescription)
            XCTAssertEqual(rewrite.fileSize, Int64(try Data(contentsOf: photo).count))
            XCTAssertNotNil(rewrite.contentHash)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: photo.deletingLastPathComponent().path)
                .filter { $0.hasSuffix("viewfinder-tmp") }
            XCTAssertEqual(leftovers, [])
        }
    }

    func testSidecarIsMergedAndKeepsUnknownFields() throws {
        let photo = try camera(["es-Canon_40D.jpg"])[0]
        let original = try Data(contentsOf: photo)
        let sidecar = photo.path + ".xmp"
        try """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:acme="http://example.com/acme/1.0/" xmlns:digiKam="http://www.digikam.org/ns/1.0/"
              acme:Project="Holiday album" xmp:Rating="4" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <digiKam:TagsList><rdf:Seq><rdf:li>Family/Grandma</rdf:li></rdf:Seq></digiKam:TagsList>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """.write(toFile: sidecar, atomically: true, encoding: .utf8)
        let rewrite = try MetadataWriter.write(caption: "Grandma's birthday cake.", tags: ["cake", "Family/Grandma"],
                                               to: photo.path, mode: .sidecar, indexedHash: nil).rewrite
        XCTAssertEqual(try Data(contentsOf: photo), original, "the photo itself is untouched")
        XCTAssertNil(rewrite.contentHash)
        XCTAssertNotNil(rewrite.sidecarModifiedAt)
        let text = try String(contentsOfFile: sidecar, encoding: .utf8)
        XCTAssertTrue(text.contains("Holiday album"), "unknown namespace kept:\n\(text)")
        let read = try exiftool(["-s", "-s", "-s", "-XMP-dc:Description", "-XMP-digiKam:TagsList", "-XMP-xmp:Rating", sidecar])
        XCTAssertEqual(read, "Grandma's birthday cake.\nFamily/Grandma, cake\n4\n")
    }

    func testNewSidecarBesideAPhotoWithoutOne() throws {
        let photo = try camera(["es-Nikon_D70.jpg"])[0]
        _ = try MetadataWriter.write(caption: "A test.", tags: ["one"], to: photo.path, mode: .sidecar, indexedHash: nil)
        XCTAssertEqual(try exiftool(["-s", "-s", "-s", "-XMP-dc:Description", photo.path + ".xmp"]), "A test.\n")
    }

    /// A killed write leaves its scratch file, named with its process id, beside the sidecar: the next write removes
    /// it once that process is gone, and never a running writer's.
    func testScratchFilesOfWritersThatAreGoneAreRemoved() throws {
        let photo = try camera(["es-Nikon_D70.jpg"])[0]
        let folder = photo.deletingLastPathComponent().path, name = photo.lastPathComponent + ".xmp"
        let gone = ".\(name).\(Int32.max).ab.viewfinder-tmp", running = ".\(name).1.cd.viewfinder-tmp"  // pid 1 is always running
        let other = ".other.jpg.xmp.\(Int32.max).ef.viewfinder-tmp"
        for leftover in [gone, running, other] { XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/" + leftover, contents: Data("half".utf8))) }
        _ = try MetadataWriter.write(caption: "A test.", tags: ["one"], to: photo.path, mode: .sidecar, indexedHash: nil)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".viewfinder-tmp") }
        XCTAssertEqual(Set(left), [running, other])
    }

    func testReadOnlyPhotoIsRefusedAndUntouched() throws {
        let photo = try camera(["es-Canon_40D.jpg"])[0]
        chmod(photo.path, 0o444)
        defer { chmod(photo.path, 0o644) }
        let before = try Data(contentsOf: photo)
        XCTAssertThrowsError(try MetadataWriter.write(caption: "x", tags: [], to: photo.path, mode: .inFile, indexedHash: nil)) { error in
            XCTAssertTrue("\(error)".contains("read-only"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: photo), before)
    }

    func testAPhotoChangedSinceItWasIndexedIsNotWritten() throws {
        let photo = try camera(["es-Canon_40D.jpg"])[0]
        let indexed = PhotoAnalyzer.hash(Array(try Data(contentsOf: photo))).hex
        let edited = try Data(contentsOf: photo) + Data([0])  // an editor saved it since
        try edited.write(to: photo)
        XCTAssertThrowsError(try MetadataWriter.write(caption: "x", tags: ["y"], to: photo.path, mode: .inFile,
                                                      indexedHash: indexed)) { error in
            XCTAssertTrue("\(error)".contains("changed since it was indexed"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: photo), edited)
        XCTAssertFalse(FileManager.default.fileExists(atPath: photo.path + ".xmp"))
    }

    func testAPhotoExiv2CannotKeepWholeGetsASidecarAndAWarningNamingTheTags() throws {
        _ = try requireExiftool()
        // Its XMP has rdf:about="uuid:…", which exiv2's XMP model has no place for.
        let photo = try camera(["mei-FujiFilm_FinePixS2Pro.jpg"])[0]
        let before = try Data(contentsOf: photo)
        let outcome = try MetadataWriter.write(caption: "A lossy case.", tags: ["x"], to: photo.path, mode: .inFile,
                                               indexedHash: PhotoAnalyzer.hash(Array(before)).hex)
        XCTAssertEqual(try Data(contentsOf: photo), before)
        let warning = try XCTUnwrap(outcome.warning)
        XCTAssertTrue(warning.contains("XMP-rdf:About"), warning)
        XCTAssertNil(outcome.rewrite.contentHash)
        XCTAssertEqual(try exiftool(["-s", "-s", "-s", "-XMP-dc:Description", photo.path + ".xmp"]), "A lossy case.\n")
    }

    func testWithoutExiftoolNothingIsWrittenIntoThePhoto() throws {
        let photo = try camera(["es-Canon_40D.jpg"])[0]
        let before = try Data(contentsOf: photo)
        let path = ProcessInfo.processInfo.environment["PATH"]
        setenv("PATH", scratch.path, 1)  // a PATH where exiftool is not
        defer { path.map { setenv("PATH", $0, 1) } }
        let outcome = try MetadataWriter.write(caption: "Unchecked.", tags: [], to: photo.path, mode: .inFile, indexedHash: nil)
        XCTAssertEqual(try Data(contentsOf: photo), before)
        XCTAssertTrue(outcome.warning?.contains("exiftool is not installed") == true, outcome.warning ?? "no warning")
        XCTAssertTrue(FileManager.default.fileExists(atPath: photo.path + ".xmp"))
    }
}
