import Foundation
import Indexer
import Media
import TestSupport
import XCTest

/// In-file write-back on every file of the corpus's exif folders, judged by exiftool: a photo either changed in
/// the tags we write and nothing else (its scan data byte for byte the same), or it was left byte-identical and
/// the sidecar written with a warning.
final class WriteBackCorpusTests: XCTestCase {
    var scratch: ScratchFolder!

    override func setUpWithError() throws { scratch = try ScratchFolder("write-back-corpus") }
    override func tearDown() { scratch.remove() }

    /// What a write-back may change: the tags we write, exiv2's toolkit stamp, positions (the bytes they point
    /// to are compared through -b) and the file system's view of the file.
    static let written: Set<String> = ["XMP-dc:Description", "XMP-digiKam:TagsList", "XMP-x:XMPToolkit"]
    static let positions: Set<String> = ["ThumbnailOffset", "StripOffsets", "TileOffsets", "PreviewImageStart",
                                         "JpgFromRawStart", "OtherImageStart"]
    static let fileSystem: Set<String> = ["SourceFile", "ExifTool:ExifToolVersion", "System:FileName", "System:Directory",
                                          "System:FileSize", "System:FileModifyDate", "System:FileAccessDate",
                                          "System:FileInodeChangeDate", "System:FilePermissions"]

    func testEveryCameraFileIsWrittenLosslesslyOrLeftWholeWithASidecar() throws {
        let (exif, reason) = Corpus.folder("exif")
        guard let exif else { throw XCTSkip(reason) }
        let exiftool = try requireExiftool()
        let originals = ["cameras", "formats", "gps", "orientation"].flatMap { Corpus.files(in: exif.appendingPathComponent($0)) }
        XCTAssertGreaterThanOrEqual(originals.count, 100)
        var inPlace = [String: Int](), sidecar = [String: Int](), reasons = [String: Int](), seconds = 0.0
        for (index, original) in originals.enumerated() {
            let folder = "library/\(index)"
            let photo = try scratch.copy([original], into: folder)[0]
            chmod(photo.path, 0o644)  // the corpus itself is read-only
            let before = try Data(contentsOf: photo)
            let make = (try tags(exiftool, [original.path])[0]["IFD0:Make"] as? String)?.trimmingCharacters(in: .whitespaces) ?? "(no make)"
            // As the describe job does: a description the photo already has is never replaced.
            let kept = ownDescription(Array(before))
            let caption = kept == nil ? "Corpus caption, ünïcode." : nil
            let start = Date()
            let outcome = try MetadataWriter.write(caption: caption, tags: ["corpus", "test"],
                                                   to: photo.path, mode: .inFile, indexedHash: nil)
            seconds += Date().timeIntervalSince(start)
            let name = original.lastPathComponent
            if let warning = outcome.warning {
                sidecar[make, default: 0] += 1
                XCTAssertEqual(try Data(contentsOf: photo), before, "\(name): left untouched (\(warning))")
                XCTAssertNil(outcome.rewrite.contentHash, name)
                let xmp = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: scratch.path + "/" + folder)
                    .first { $0.lowercased().hasSuffix(".xmp") }, "\(name): no sidecar")
                let read = try tags(exiftool, [scratch.path + "/" + folder + "/" + xmp])[0]
                XCTAssertEqual(read["XMP-digiKam:TagsList"] as? [String], ["corpus", "test"], name)
                if let caption { XCTAssertEqual(read["XMP-dc:Description"] as? String, caption, name) }
                reasons[warning.contains("would also change") ? "tags would change" : warning.contains("hide")
                    ? "an older description would hide the caption" : warning, default: 0] += 1
                continue
            }
            inPlace[make, default: 0] += 1
            let pair = try tags(exiftool, [original.path, photo.path])
            let changed = Set(pair[0].keys).union(pair[1].keys).filter { key in
                !Self.written.contains(key) && !Self.fileSystem.contains(key)
                    && !Self.positions.contains(String(key.split(separator: ":").last!))
                    && !(pair[0][key] as? NSObject == pair[1][key] as? NSObject)
            }
            XCTAssertEqual(changed.sorted(), [], "\(name) changed beyond the tags written")
            if let caption { XCTAssertEqual(pair[1]["XMP-dc:Description"] as? String, caption, name) }
            XCTAssertEqual(ownDescription(Array(try Data(contentsOf: photo))), kept ?? caption, "\(name) reads another description")
            XCTAssertEqual(pair[1]["XMP-digiKam:TagsList"] as? [String], ["corpus", "test"], name)
            if before.starts(with: [0xFF, 0xD8]) {
                XCTAssertEqual(try WriteBackTests.scanData(photo), try WriteBackTests.scanData(original), "\(name): image data changed")
            }
        }
        let makes = Set(inPlace.keys).union(sidecar.keys).sorted()
        let table = makes.map { "\($0): \(inPlace[$0] ?? 0) in place, \(sidecar[$0] ?? 0) sidecar" }.joined(separator: "\n")
        print("""
            write-back over \(originals.count) files: \(inPlace.values.reduce(0, +)) in place, \
            \(sidecar.values.reduce(0, +)) sidecar, \(String(format: "%.0f", seconds * 1000 / Double(originals.count))) ms a photo
            \(table)
            sidecar because: \(reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
            """)
        // A writer that always fell back to the sidecar would pass every check above: most files are written in place.
        XCTAssertGreaterThanOrEqual(inPlace.values.reduce(0, +), 80, "the README says 85 of 111 are written in place")
    }

    /// Every tag of each file (duplicates numbered, binaries in full, numbers unformatted).
    func tags(_ exiftool: String, _ paths: [String]) throws -> [[String: Any]] {
        let output = try runProgram(exiftool, ["-j", "-a", "-G1:4", "-s", "-n", "-b"] + paths).stdout
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    }
}

/// The description Viewfinder reads from a photo's own metadata.
func ownDescription(_ bytes: [UInt8]) -> String? {
    (try? MetadataReader.read(bytes)).flatMap { MetadataInterpreter.interpret(embedded: $0, sidecar: nil, format: .jpeg).description }
}

/// exiftool, which the project's set-up installs: a machine with the corpus and without it fails the test.
func requireExiftool() throws -> String {
    guard let path = programPath("exiftool") else {
        throw WriteBackTestError("exiftool is not installed; scripts/setup.sh installs it and write-back is judged by it")
    }
    return path
}

struct WriteBackTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
