import Foundation
import Indexer
import Media
import TestSupport
import ViewfinderCore
import XCTest

/// Named face regions as exiftool writes them (MWG `mwg-rs:Regions`, Microsoft's `MP:RegionInfo`) are read into
/// upright boxes, and regions written back read the same in exiftool, with every other tag kept.
final class FaceRegionTests: XCTestCase {
    var scratch: ScratchFolder!

    override func setUpWithError() throws { scratch = try ScratchFolder("face-regions") }
    override func tearDown() { scratch.remove() }

    func corpus(_ folder: String, _ name: String) throws -> URL {
        let (url, reason) = Corpus.folder(folder)
        guard let url else { throw XCTSkip(reason) }
        let copy = try scratch.copy([url.appendingPathComponent(name)], into: "library")[0]
        chmod(copy.path, 0o644)  // the corpus itself is read-only
        return copy
    }

    @discardableResult
    func exiftool(_ arguments: [String]) throws -> String {
        let run = try runProgram(try requireExiftool(), arguments)
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    /// exiftool's structure syntax for a list of MWG regions on stored pixels of `width` × `height`.
    static func mwg(_ faces: [(name: String, x: Double, y: Double, w: Double, h: Double)], width: Int, height: Int) -> String {
        let list = faces.map { "{Area={X=\($0.x),Y=\($0.y),W=\($0.w),H=\($0.h),Unit=normalized},Name=\($0.name),Type=Face}" }
        return "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=\(width),H=\(height),Unit=pixel},RegionList=[\(list.joined(separator: ","))]}"
    }

    func regions(_ photo: URL, sidecar: URL? = nil, orientation: Int, width: Int, height: Int) throws -> [NamedRegion] {
        let embedded = try MetadataReader.read(Array(try Data(contentsOf: photo)))
        let beside = try sidecar.map { try MetadataReader.read(Array(try Data(contentsOf: $0))) }
        return RegionInterpreter.regions(embedded: embedded, sidecar: beside, orientation: orientation, width: width, height: height)
    }

    func assertBox(_ region: NamedRegion?, _ name: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double,
                   file: StaticString = #filePath, line: UInt = #line) {
        guard let region else { return XCTFail("no region named \(name)", file: file, line: line) }
        XCTAssertEqual(region.name, name, file: file, line: line)
        for (got, want) in [(region.x, x), (region.y, y), (region.w, w), (region.h, h)] {
            XCTAssertEqual(got, want, accuracy: 1e-6, "\(region)", file: file, line: line)
        }
    }

    func testCentreBecomesTopLeftAndOrientationTurnsTheBox() throws {
        // Stored 450 × 600, shown 600 × 450 (orientation 6: turned a quarter clockwise).
        let photo = try corpus("exif/orientation", "es-landscape_6.jpg")
        try exiftool(["-q", "-overwrite_original", Self.mwg([("Ada Lovelace", 0.25, 0.5, 0.1, 0.2)], width: 450, height: 600), photo.path])
        let found = try regions(photo, orientation: 6, width: 600, height: 450)
        XCTAssertEqual(found.count, 1)
        // Stored top-left (0.2, 0.4), 0.1 × 0.2: the stored left edge becomes the top, its top the right.
        assertBox(found.first, "Ada Lovelace", 0.4, 0.2, 0.2, 0.1)
        // Dimensions shaped like the upright photo say the writer drew on the displayed picture: no turn.
        try exiftool(["-q", "-overwrite_original", Self.mwg([("Ada Lovelace", 0.25, 0.5, 0.1, 0.2)], width: 600, height: 450), photo.path])
        assertBox(try regions(photo, orientation: 6, width: 600, height: 450).first, "Ada Lovelace", 0.2, 0.4, 0.1, 0.2)
    }

    func testSidecarRegionsReplaceTheFilesAndMicrosoftsAreRead() throws {
        let photo = try corpus("exif/gps", "es-DSCN0010.jpg")
        try exiftool(["-q", "-overwrite_original", Self.mwg([("Ada Lovelace", 0.5, 0.4, 0.2, 0.3)], width: 640, height: 480), photo.path])
        assertBox(try regions(photo, orientation: 1, width: 640, height: 480).first, "Ada Lovelace", 0.4, 0.25, 0.2, 0.3)
        let sidecar = URL(fileURLWithPath: photo.path + ".xmp")
        try exiftool(["-q", "-o", sidecar.path, Self.mwg([("Grace Hopper", 0.2, 0.2, 0.2, 0.2), ("Alan Turing", 0.7, 0.5, 0.2, 0.4)],
                                                        width: 640, height: 480)])
        let both = try regions(photo, sidecar: sidecar, orientation: 1, width: 640, height: 480)
        XCTAssertEqual(both.map(\.name), ["Grace Hopper", "Alan Turing"], "the sidecar's list wins whole")
        assertBox(both.last, "Alan Turing", 0.6, 0.3, 0.2, 0.4)
        let windows = try corpus("exif/orientation", "es-landscape_1.jpg")
        try exiftool(["-q", "-overwrite_original", "-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=Carl,Rectangle=0.1|, 0.2|, 0.3|, 0.4}]}", windows.path])
        assertBox(try regions(windows, orientation: 1, width: 600, height: 450).first, "Carl", 0.1, 0.2, 0.3, 0.4)
    }

    func testMalformedRegionsAreSkipped() throws {
        let photo = try corpus("exif/gps", "es-DSCN0010.jpg")
        let sidecar = photo.path + ".xmp"
        func item(_ name: String, _ area: String, type: String = "Face") -> String {
            "<rdf:li rdf:parseType='Resource'><mwg-rs:Name>\(name)</mwg-rs:Name><mwg-rs:Type>\(type)</mwg-rs:Type>\(area)</rdf:li>"
        }
        func area(_ x: String, _ y: String, _ w: String, _ h: String, unit: String = "normalized") -> String {
            "<mwg-rs:Area stArea:x='\(x)' stArea:y='\(y)' stArea:w='\(w)' stArea:h='\(h)' stArea:unit='\(unit)'/>"
        }
        let items = [
            item("No Area", ""), item("Not A Number", area("nan", "0.5", "0.1", "0.1")),
            item("Infinite", area("0.5", "inf", "0.1", "0.1")), item("Outside", area("1.4", "0.5", "0.1", "0.1")),
            item("Too Wide", area("0.5", "0.5", "1.5", "0.1")), item("Overhanging", area("0.95", "0.5", "0.3", "0.1")),
            item("Negative", area("0.5", "0.5", "-0.1", "0.1")), item("In Pixels", area("100", "100", "10", "10", unit: "pixel")),
            item("Rex", area("0.5", "0.5", "0.1", "0.1"), type: "Pet"), item("  ", area("0.5", "0.5", "0.1", "0.1")),
            item("Kept", area("0.5", "0.5", "0.2", "0.2")),
        ]
        try """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
              xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
            <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>\(items.joined())</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """.write(toFile: sidecar, atomically: true, encoding: .utf8)
        let found = try regions(photo, sidecar: URL(fileURLWithPath: sidecar), orientation: 1, width: 640, height: 480)
        XCTAssertEqual(found.map(\.name), ["Kept"])
        assertBox(found.first, "Kept", 0.4, 0.4, 0.2, 0.2)
    }

    func testRegionsWrittenIntoThePhotoReadBackInExiftoolAndNothingElseChanges() throws {
        // A camera file with maker notes, whose stored regions hold a face that a written one covers (replaced), a
        // focus point, an unnamed face and a named one elsewhere (all three kept: write-back takes no name away).
        let photo = try corpus("exif/cameras", "mei-Canon_EOS_REBEL_T3i.jpg")
        try exiftool(["-q", "-overwrite_original", "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=5184,H=3456,Unit=pixel},RegionList=["
                      + "{Area={X=0.21,Y=0.34,W=0.2,H=0.3,Unit=normalized},Name=Someone Else,Type=Face},"
                      + "{Area={X=0.3,Y=0.3,W=0.05,H=0.05,Unit=normalized},Type=Focus},"
                      + "{Area={X=0.8,Y=0.8,W=0.1,H=0.1,Unit=normalized},Type=Face},"
                      + "{Area={X=0.9,Y=0.1,W=0.1,H=0.1,Unit=normalized},Name=Not Detected Here,Type=Face}]}", photo.path])
        let before = scratch.url.appendingPathComponent("before.jpg")
        try FileManager.default.copyItem(at: photo, to: before)
        let faces = [NamedRegion(name: "Ada Lovelace", x: 0.1, y: 0.2, w: 0.2, h: 0.3),
                     NamedRegion(name: "Zoë Ünïcode", x: 0.6, y: 0.5, w: 0.1, h: 0.15)]
        let outcome = try MetadataWriter.write(caption: nil, tags: [], regions: RegionsToWrite(faces, width: 5184, height: 3456, orientation: 1),
                                               to: photo.path, mode: .inFile, indexedHash: nil)
        XCTAssertNil(outcome.warning, "written into the photo, not the sidecar")
        XCTAssertNotNil(outcome.rewrite.contentHash)
        XCTAssertFalse(FileManager.default.fileExists(atPath: photo.path + ".xmp"))
        let read = try exiftool(["-s", "-s", "-s", "-RegionName", "-RegionType", "-RegionAreaX", "-RegionAreaY", "-RegionAreaW",
                                 "-RegionAreaH", "-RegionAppliedToDimensionsW", "-RegionAppliedToDimensionsH", photo.path])
        XCTAssertEqual(read, "Not Detected Here, Ada Lovelace, Zoë Ünïcode\nFocus, Face, Face, Face, Face\n0.3, 0.8, 0.9, 0.2, 0.65\n"
                       + "0.3, 0.8, 0.1, 0.35, 0.575\n0.05, 0.1, 0.1, 0.2, 0.1\n0.05, 0.1, 0.1, 0.3, 0.15\n5184\n3456\n")
        // Tag by tag, only MWG's region tags (and exiv2's toolkit stamp) differ from the photo before.
        let judge = TagComparison(exiftool: try requireExiftool())
        XCTAssertEqual(try judge.changes(from: before.path, to: photo.path, writtenGroups: ["XMP-mwg-rs"]), [])
        XCTAssertFalse(try judge.changes(from: before.path, to: photo.path).isEmpty, "the comparison sees the regions")
        let back = try regions(photo, orientation: 1, width: 5184, height: 3456)
        XCTAssertEqual(back.map(\.name), ["Not Detected Here", "Ada Lovelace", "Zoë Ünïcode"])
        assertBox(back[1], "Ada Lovelace", 0.1, 0.2, 0.2, 0.3)
        assertBox(back.last, "Zoë Ünïcode", 0.6, 0.5, 0.1, 0.15)
    }

    func testRegionsOnATurnedPhotoAreWrittenOnTheStoredPixelsAndIntoTheSidecar() throws {
        let photo = try corpus("exif/orientation", "es-landscape_6.jpg")
        let original = try Data(contentsOf: photo)
        let upright = NamedRegion(name: "Ada Lovelace", x: 0.4, y: 0.2, w: 0.2, h: 0.1)
        _ = try MetadataWriter.write(caption: nil, tags: [], regions: RegionsToWrite([upright], width: 600, height: 450, orientation: 6),
                                     to: photo.path, mode: .sidecar, indexedHash: nil)
        XCTAssertEqual(try Data(contentsOf: photo), original, "sidecar mode leaves the photo alone")
        let sidecar = URL(fileURLWithPath: photo.path + ".xmp")
        // The stored picture is 450 × 600 and the box's centre there (0.25, 0.5), as the reading test wrote it.
        XCTAssertEqual(try exiftool(["-s", "-s", "-s", "-RegionName", "-RegionAreaX", "-RegionAreaY", "-RegionAreaW", "-RegionAreaH",
                                     "-RegionAppliedToDimensionsW", "-RegionAppliedToDimensionsH", sidecar.path]),
                       "Ada Lovelace\n0.25\n0.5\n0.1\n0.2\n450\n600\n")
        assertBox(try regions(photo, sidecar: sidecar, orientation: 6, width: 600, height: 450).first, "Ada Lovelace", 0.4, 0.2, 0.2, 0.1)
        // Writing no faces takes no name away.
        _ = try MetadataWriter.write(caption: nil, tags: [], regions: RegionsToWrite([], width: 600, height: 450, orientation: 6),
                                     to: photo.path, mode: .sidecar, indexedHash: nil)
        XCTAssertEqual(try regions(photo, sidecar: sidecar, orientation: 6, width: 600, height: 450).map(\.name), ["Ada Lovelace"])
    }
}
