import XCTest
import TestSupport

/// The CLI's promises to scripts: JSON keys, exit statuses, help with examples.
final class CommandContractTests: CLITestCase {
    func testShowJSONHasEveryDocumentedKey() throws {
        let gps = try corpusFiles("exif/gps").filter { $0.lastPathComponent == "es-DSCN0010.jpg" }
        let library = try scratch.copy(gps, into: "library")
        XCTAssertEqual(try viewfinder("index", scratch.path + "/library").status, 0)
        let shown = try XCTUnwrap(try json("show", "--json", library[0].path) as? [String: Any])
        let keys = ["path", "width", "height", "orientation", "taken", "make", "model", "lens", "focalLength", "fNumber",
                    "exposureTime", "iso", "gps", "rating", "description", "keywords", "regions", "format", "sha256"]
        for key in keys { XCTAssertNotNil(shown[key], "missing key \(key)") }
        XCTAssertEqual(shown["make"] as? String, "NIKON")
        XCTAssertEqual(shown["format"] as? String, "jpeg")
        XCTAssertTrue(shown["lens"] is NSNull, "absent values are null, not missing")
        let position = try XCTUnwrap(shown["gps"] as? [String: Double])
        XCTAssertEqual(position["lat"]!, 43.4674, accuracy: 1e-3)
        XCTAssertEqual(position["lon"]!, 11.8851, accuracy: 1e-3)
        XCTAssertEqual(shown["taken"] as? String, "2008-10-22T16:28:39")
        let sha = try runProgram("/usr/bin/sha256sum", [library[0].path]).stdout.prefix(64)
        XCTAssertEqual(shown["sha256"] as? String, String(sha))
    }

    func testShowJSONListsNamedFaceRegionsFromThePhotoAndItsSidecar() throws {
        guard let exiftool = programPath("exiftool") else { throw XCTSkip("exiftool writes the regions this test reads") }
        let photos = try corpusFiles("exif/gps").filter { ["es-DSCN0010.jpg", "es-DSCN0012.jpg"].contains($0.lastPathComponent) }.sorted { $0.path < $1.path }
        let library = try scratch.copy(photos, into: "library")
        for copy in library { chmod(copy.path, 0o644) }
        let region = "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=640,H=480,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Ada Lovelace,Type=Face}]}"
        XCTAssertEqual(try runProgram(exiftool, ["-q", "-overwrite_original", region, library[0].path]).status, 0)
        XCTAssertEqual(try runProgram(exiftool, ["-q", "-o", library[1].path + ".xmp", region.replacingOccurrences(of: "Ada Lovelace", with: "Grace Hopper")]).status, 0)
        XCTAssertEqual(try viewfinder("index", scratch.path + "/library").status, 0)
        for (photo, name) in zip(library, ["Ada Lovelace", "Grace Hopper"]) {
            let shown = try XCTUnwrap(try json("show", "--json", photo.path) as? [String: Any])
            let regions = try XCTUnwrap(shown["regions"] as? [[String: Any]])
            XCTAssertEqual(regions.count, 1)
            XCTAssertEqual(regions.first?["name"] as? String, name)
            for (key, value) in ["x": 0.4, "y": 0.25, "w": 0.2, "h": 0.3] {
                XCTAssertEqual(try XCTUnwrap(regions.first?[key] as? Double), value, accuracy: 1e-9, key)
            }
        }
        XCTAssertTrue(try viewfinder("show", library[1].path).stdout.contains("named face   Grace Hopper at 0.40, 0.25"))
    }

    func testFailuresAreListedAndTheRunStillSucceeds() throws {
        let broken = try corpusFiles("malformed").filter { ["derived-zero_bytes.jpg", "derived-text_README_named.jpg"].contains($0.lastPathComponent) }
        try scratch.copy(broken, into: "library")
        let run = try viewfinder("index", scratch.path + "/library")
        XCTAssertEqual(run.status, 0, "a completed run exits 0 even when files failed")
        XCTAssertTrue(run.stdout.contains("2 failed"), run.stdout)
        let errors = try XCTUnwrap(try json("errors", "--json") as? [[String: String]])
        XCTAssertEqual(Set(errors.map { $0["reason"]! }), ["empty file (0 bytes)", "not a photo: plain text"])
        XCTAssertEqual(Set(errors.map { $0["severity"]! }), ["error"])
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["photos"] as? Int, 0)
        XCTAssertEqual(status["errors"] as? [String: Int], ["detect": 2])
        let show = try viewfinder("show", broken[0].path)
        XCTAssertNotEqual(show.status, 0)
    }

    func testUnknownPhotoAndBadFolderGiveClearMessages() throws {
        try scratch.copy(try corpusFiles("content").filter { $0.lastPathComponent == "pil-hopper.jpg" }, into: "library")
        XCTAssertEqual(try viewfinder("index", scratch.path + "/library").status, 0)
        let show = try viewfinder("show", "/nowhere/photo.jpg")
        XCTAssertNotEqual(show.status, 0)
        XCTAssertTrue(show.stderr.contains("not in the catalogue"), show.stderr)
        let index = try viewfinder("index", "/nowhere")
        XCTAssertNotEqual(index.status, 0)
        XCTAssertTrue(index.stderr.contains("'/nowhere' is not a folder"), index.stderr)
    }

    /// A colour-managed JPEG as the first photo of a process is libvips' first use there.
    func testAnAdobeRGBPhotoAloneIsIndexed() throws {
        let library = try scratch.copy(try corpusFiles("content").filter { $0.lastPathComponent == "ski-rocket.jpg" }, into: "library")
        XCTAssertEqual(try viewfinder("index", scratch.path + "/library").status, 0)
        let shown = try XCTUnwrap(try json("show", "--json", library[0].path) as? [String: Any])
        XCTAssertEqual((shown["problems"] as? [Any])?.count, 0)
        XCTAssertEqual(try XCTUnwrap(try json("errors", "--json", "--warnings") as? [Any]).count, 0)
    }

    func testReadingCommandsNeverCreateACatalogue() throws {
        for command in [["status"], ["errors"], ["show", "/nowhere/photo.jpg"], ["people"]] {
            let result = try runProgram(try binary, command, environment: ["VIEWFINDER_DATA": data])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains("no catalogue in \(data) yet"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: data))
    }

    func testEveryCommandHasHelpWithExamples() throws {
        for command in [["serve"], ["password"], ["index"], ["search"], ["status"], ["show"], ["errors"], ["prune"], ["backup"], ["migrate"], ["eval"],
                        ["models"], ["worker", "serve"], ["people"]] {
            let help = try runProgram(try binary, command + ["--help"], environment: ["VIEWFINDER_DATA": data])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("Examples:"), "\(command) --help has no examples")
        }
    }

    func testIndexJSONSummaryForScripts() throws {
        try scratch.copy(try corpusFiles("content").filter { $0.pathExtension == "png" }.prefix(3).map { $0 }, into: "library")
        let summary = try XCTUnwrap(try json("index", "--json", "--no-previews", scratch.path + "/library") as? [String: Any])
        XCTAssertEqual(summary["indexed"] as? Int, 3)
        XCTAssertEqual(summary["previews"] as? Int, 0)
    }
}
