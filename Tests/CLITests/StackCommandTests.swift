import Foundation
import TestSupport
import XCTest

/// Stacks built from real files: RAW+JPEG of one shot, a burst (by identifier and by a run of frames), edited copies
/// and Live Photos each come back as one hit with their members, and every member with `--no-stacks`.
final class StackCommandTests: CLITestCase {
    private func exiftool() throws -> String {
        guard let exiftool = programPath("exiftool") else { throw XCTSkip("exiftool writes the burst and Live Photo identifiers these tests read") }
        return exiftool
    }

    private func corpusFile(_ folder: String, _ name: String) throws -> URL {
        try XCTUnwrap(try corpusFiles(folder).first { $0.lastPathComponent == name }, "\(name) is not in the corpus's \(folder)")
    }

    /// Copies a corpus file into the library under a new name.
    @discardableResult
    private func place(_ source: URL, _ relative: String) throws -> String {
        let target = scratch.path + "/library/" + relative
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source.path, toPath: target)
        return target
    }

    private func write(_ file: String, _ tags: String...) throws {
        let result = try runProgram(try exiftool(), ["-q", "-m", "-overwrite_original"] + tags + [file])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// The hits of a query, with each one's stack (kind and members' file names).
    private func hits(_ query: String, stacks: Bool = true) throws -> [(name: String, kind: String?, members: [String])] {
        let arguments = ["search", "--json", "--no-semantic", "--limit", "100"] + (stacks ? [] : ["--no-stacks"]) + [query]
        let result = try runProgram(try binary, arguments, environment: ["VIEWFINDER_DATA": data])
        XCTAssertEqual(result.status, 0, result.stderr)
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(answer["hits"] as? [[String: Any]]).map { hit in
            let stack = hit["stack"] as? [String: Any]
            let members = (stack?["members"] as? [String] ?? []).map { ($0 as NSString).lastPathComponent }
            return (((hit["path"] as? String ?? "") as NSString).lastPathComponent, stack?["kind"] as? String, members)
        }
    }

    /// The least a RAW file is to the indexer: a little-endian TIFF whose first directory is a reduced image (the raw
    /// data left out) pointing at a full-size JPEG preview, as cameras embed theirs.
    static func dng(embedding preview: [UInt8]) -> [UInt8] {
        func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        let previewAt = UInt32(8 + 2 + 7 * 12 + 4)
        // Tag, type (1 byte, 3 short, 4 long), count, and the value in its four bytes; in tag order.
        let entries: [(UInt16, UInt16, UInt32, [UInt8])] = [
            (254, 4, 1, little(UInt32(1))), (256, 4, 1, little(UInt32(8))), (257, 4, 1, little(UInt32(8))),
            (259, 3, 1, little(UInt16(7)) + [0, 0]), (513, 4, 1, little(previewAt)), (514, 4, 1, little(UInt32(preview.count))),
            (50706, 1, 4, [1, 4, 0, 0]),
        ]
        var file: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + little(UInt32(8)) + little(UInt16(entries.count))
        for (tag, type, count, value) in entries { file += little(tag) + little(type) + little(count) + value }
        return file + little(UInt32(0)) + preview
    }

    func testPairsBurstsEditsAndLivePhotosShowAsOneStackEach() throws {
        let jpeg = try corpusFile("content", "pil-hopper.jpg")
        // RAW+JPEG of one shot: a DNG around a corpus JPEG (the corpus holds no RAW) and the JPEG, under one name.
        try FileManager.default.createDirectory(atPath: scratch.path + "/library/pair", withIntermediateDirectories: true)
        try Data(Self.dng(embedding: [UInt8](try Data(contentsOf: jpeg)))).write(to: URL(fileURLWithPath: scratch.path + "/library/pair/DSC_0100.DNG"))
        try place(jpeg, "pair/DSC_0100.JPG")
        // A burst with Google Camera's identifier; its third frame alone holds a word.
        for frame in 1...3 {
            let file = try place(jpeg, "burst/IMG_300\(frame).JPG")
            try write(file, "-DateTimeOriginal=2024:05:01 10:00:00", "-SubSecTimeOriginal=\(frame * 100)",
                      "-XMP-GCamera:BurstID=7E1A-burst", "-Make=Google", "-Model=Pixel 7")
        }
        try write(scratch.path + "/library/burst/IMG_3003.JPG", "-XMP-dc:Subject=zebracrossing")
        // A burst without an identifier: one camera's consecutive files a second apart; a fourth half a minute later.
        for (frame, second) in [(1, "00"), (2, "01"), (3, "02"), (4, "30")] {
            let file = try place(jpeg, "run/DSC_000\(frame).JPG")
            try write(file, "-DateTimeOriginal=2024:05:02 11:00:\(second)", "-Make=Canon", "-Model=Canon EOS 5D")
        }
        // Edited copies beside their originals: Apple's IMG_E and an "-edited" copy, each cropped.
        try place(jpeg, "edits/IMG_2001.JPG")
        try place(jpeg, "edits/beach.jpg")
        for edited in ["edits/IMG_E2001.JPG", "edits/beach-edited.jpg"] {
            let cropped = try runProgram("/usr/bin/env", ["jpegtran", "-crop", "120x90+8+8", "-outfile", scratch.path + "/library/" + edited, jpeg.path])
            if cropped.status != 0 { throw XCTSkip("jpegtran (libjpeg-turbo-progs) makes the cropped copies: \(cropped.stderr)") }
        }
        // A Live Photo's still (Apple's content identifier in its maker note) and an edit of it that carries the same note.
        let still = try place(try corpusFile("content", "es-IMG_5195.HEIC"), "live/IMG_4001.HEIC")
        let edit = try place(jpeg, "live/IMG_E4001.JPG")
        try write(edit, "-tagsFromFile", still, "-makernotes", "-Make", "-Model")
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)

        let expected: [(query: String, kind: String, members: [String])] = [
            ("folder:pair", "raw+jpeg", ["DSC_0100.JPG", "DSC_0100.DNG"]),
            ("folder:burst", "burst", ["IMG_3001.JPG", "IMG_3002.JPG", "IMG_3003.JPG"]),
            ("folder:live", "live", ["IMG_E4001.JPG", "IMG_4001.HEIC"]),
        ]
        for (query, kind, members) in expected {
            let found = try hits(query)
            XCTAssertEqual(found.count, 1, "\(query): \(found.map(\.name))")
            XCTAssertEqual(found.first?.name, members.first, query)
            XCTAssertEqual(found.first?.kind, kind, query)
            XCTAssertEqual(found.first?.members, members, query)
            XCTAssertEqual(Set(try hits(query, stacks: false).map(\.name)), Set(members), "\(query) --no-stacks")
        }
        let run = try hits("folder:run")
        XCTAssertEqual(run.map(\.name).sorted(), ["DSC_0001.JPG", "DSC_0004.JPG"], "the frame 28 s later is a photo of its own")
        XCTAssertEqual(run.first { $0.name == "DSC_0001.JPG" }?.members, ["DSC_0001.JPG", "DSC_0002.JPG", "DSC_0003.JPG"])
        XCTAssertEqual(run.first { $0.name == "DSC_0001.JPG" }?.kind, "burst")
        XCTAssertNil(run.first { $0.name == "DSC_0004.JPG" }?.kind)
        let edits = try hits("folder:edits")
        XCTAssertEqual(edits.map(\.name).sorted(), ["IMG_E2001.JPG", "beach-edited.jpg"])
        XCTAssertEqual(Set(edits.map(\.members)), [["IMG_E2001.JPG", "IMG_2001.JPG"], ["beach-edited.jpg", "beach.jpg"]])
        XCTAssertTrue(edits.allSatisfy { $0.kind == "edited" })
        // A word only the third frame holds finds the burst, once, shown by that frame (what was asked for).
        let word = try hits("zebracrossing")
        XCTAssertEqual(word.map(\.name), ["IMG_3003.JPG"])
        XCTAssertEqual(word.first?.members.count, 3)
        XCTAssertEqual(try hits("zebracrossing", stacks: false).map(\.name), ["IMG_3003.JPG"])
    }

    func testNearIdenticalFramesSecondsApartAreOneBurstAndDifferentShotsAreNot() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vips") else {
            throw XCTSkip("the vips command (Debian's libvips-tools) cuts the burst's frames; install it to run this test")
        }
        // Three frames of a hand-held burst of a real street photo: a 90% window moved 1% further each time, a
        // second apart, under names that follow no number and with no burst identifier.
        let street = try corpusFile("exif/gps", "es-DSCN0010.jpg")
        try FileManager.default.createDirectory(atPath: scratch.path + "/library/frames", withIntermediateDirectories: true)
        for (index, name) in ["harbour", "boats", "quay"].enumerated() {
            let file = scratch.path + "/library/frames/\(name).jpg"
            let cut = try runProgram("/usr/bin/vips", ["crop", street.path, file + "[Q=92]", "\(6 * index)", "\(5 * index)", "576", "432"])
            XCTAssertEqual(cut.status, 0, cut.stderr)
            try write(file, "-DateTimeOriginal=2024:05:03 12:00:0\(index)", "-Make=NIKON", "-Model=COOLPIX P6000")
        }
        // Different shots seconds apart: the same camera's next photo of the walk, given the second after the last
        // frame, and two halves of one White House frame (one camera, one second).
        let next = try place(try corpusFile("exif/gps", "es-DSCN0012.jpg"), "frames/street.jpg")
        try write(next, "-DateTimeOriginal=2024:05:03 12:00:03")
        try place(try corpusFile("people", "obama-4.jpg"), "event/obama.jpg")
        try place(try corpusFile("people", "biden-1.jpg"), "event/biden.jpg")
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)

        let frames = try hits("folder:frames")
        XCTAssertEqual(frames.map(\.name).sorted(), ["harbour.jpg", "street.jpg"], "the burst is one hit, the other shot its own")
        XCTAssertEqual(frames.first { $0.name == "harbour.jpg" }?.kind, "burst")
        XCTAssertEqual(frames.first { $0.name == "harbour.jpg" }?.members, ["harbour.jpg", "boats.jpg", "quay.jpg"])
        XCTAssertNil(frames.first { $0.name == "street.jpg" }?.kind)
        XCTAssertEqual(Set(try hits("folder:frames", stacks: false).map(\.name)), ["harbour.jpg", "boats.jpg", "quay.jpg", "street.jpg"])
        let event = try hits("folder:event")
        XCTAssertEqual(event.map(\.name).sorted(), ["biden.jpg", "obama.jpg"])
        XCTAssertTrue(event.allSatisfy { $0.kind == nil }, "\(event)")
    }

    func testALivePhotosVideoJoinsItsStill() throws {
        guard let ffmpeg = programPath("ffmpeg") else { throw XCTSkip("ffmpeg makes the Live Photo's video; not installed") }
        let exiftool = try exiftool()
        let still = try place(try corpusFile("content", "es-IMG_5195.HEIC"), "live/IMG_4001.HEIC")
        let identifier = try XCTUnwrap(try runProgram(exiftool, ["-s3", "-Apple:MediaGroupUUID", still]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty, "the corpus HEIC has lost its content identifier")
        // A second still without an identifier, paired with its video by name alone.
        try place(try corpusFile("content", "pil-hopper.jpg"), "live/IMG_5001.JPG")
        for (video, tags) in [("IMG_4001.MOV", ["-metadata", "com.apple.quicktime.content.identifier=\(identifier)"]), ("IMG_5001.MOV", [])] {
            let made = try runProgram(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=64x64:d=2", "-movflags", "use_metadata_tags"]
                                      + tags + [scratch.path + "/library/live/" + video])
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)
        // One folder is the library's root, so its photos are found by name.
        let every = try hits("name:IMG_*", stacks: false).map(\.name)
        XCTAssertTrue(every.contains("IMG_4001.MOV"), "the Live Photo's video is indexed: \(every)")
        let found = try hits("name:IMG_*")
        XCTAssertEqual(found.map(\.name).sorted(), ["IMG_4001.HEIC", "IMG_5001.JPG"])
        XCTAssertTrue(found.allSatisfy { $0.kind == "live" && $0.members.count == 2 }, "\(found)")
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
