import Foundation
import TestSupport
import XCTest
@testable import Media
import ViewfinderCore

/// Real videos made by ffmpeg with QuickTime metadata written by exiftool: what the analyzer reads must be what
/// ffprobe and exiftool say, and the poster frame must become a thumbnail and a preview.
final class VideoAnalyzerTests: XCTestCase {
    // Made once for the class: the tests only read them.
    nonisolated(unsafe) static var shared: (scratch: ScratchFolder, videos: [String: String])?
    var scratch: ScratchFolder { Self.shared!.scratch }
    var videos: [String: String] { Self.shared!.videos }

    override func setUpWithError() throws {
        if let missing = TestVideos.missingTools { throw XCTSkip(missing) }
        if Self.shared == nil {
            let folder = try ScratchFolder("videos")
            Self.shared = (folder, try TestVideos.make(in: folder.url))
        }
    }

    override class func tearDown() {
        shared?.scratch.remove()
        shared = nil
    }

    func testAPhonesQuickTimeKeysAreRead() throws {
        let analyzed = try VideoAnalyzer().analyze(path: videos["phone.mp4"]!, format: .mp4, sidecar: nil)
        let m = analyzed.metadata
        XCTAssertEqual(m.format, .mp4)
        XCTAssertEqual(m.taken, "2019-06-14T18:30:12+02:00", "Apple's creation date keeps the local time and its offset")
        XCTAssertEqual(m.make, TestVideos.make)
        XCTAssertEqual(m.model, TestVideos.model)
        XCTAssertEqual(m.gps?.lat ?? 0, TestVideos.latitude, accuracy: 1e-6)
        XCTAssertEqual(m.gps?.lon ?? 0, TestVideos.longitude, accuracy: 1e-6)
        XCTAssertEqual(m.gps?.alt ?? 0, 35, accuracy: 1e-6)
        XCTAssertEqual(m.contentIdentifier, TestVideos.contentIdentifier)
        let probe = try TestVideos.ffprobe(videos["phone.mp4"]!)
        let duration = try XCTUnwrap(((probe["format"] as? [String: Any])?["duration"] as? String).flatMap(Double.init))
        XCTAssertEqual(m.duration ?? 0, duration, accuracy: 1e-6)
        XCTAssertEqual(duration, 3, accuracy: 0.1)
        XCTAssertEqual([m.width, m.height], [320, 240])
        let thumbnail = try XCTUnwrap(analyzed.thumbnail, "the poster frame makes the thumbnail")
        XCTAssertEqual([thumbnail.width, thumbnail.height], [256, 192])
        XCTAssertEqual(Array(thumbnail.webp.prefix(4)), Array("RIFF".utf8))
        let preview = try XCTUnwrap(analyzed.preview)
        XCTAssertEqual(Array(preview.prefix(2)), [0xFF, 0xD8], "the preview is a JPEG")
    }

    func testATurnedVideoIsShownUpright() throws {
        let analyzed = try VideoAnalyzer().analyze(path: videos["turned.mov"]!, format: .quicktime, sidecar: nil)
        XCTAssertEqual([analyzed.metadata.width, analyzed.metadata.height], [240, 320], "the display matrix turns it a quarter")
        XCTAssertEqual(try XCTUnwrap(analyzed.thumbnail).height, 256)
        XCTAssertEqual(try XCTUnwrap(analyzed.thumbnail).width, 192)
        XCTAssertNil(analyzed.metadata.taken, "ffmpeg wrote no creation time")
    }

    func testAShortClipsPosterIsItsMiddleAndMatroskaIsRead() throws {
        XCTAssertEqual(VideoMetadata.posterTime(duration: 1), 0.5)
        XCTAssertEqual(VideoMetadata.posterTime(duration: 30), 1)
        let analyzed = try VideoAnalyzer().analyze(path: videos["short.mkv"]!, format: .matroska, sidecar: nil)
        XCTAssertEqual(analyzed.metadata.duration ?? 0, 1, accuracy: 0.1)
        XCTAssertNotNil(analyzed.thumbnail)
    }

    func testAVIAVCHDAnd3GPAreKnownByTheirBytesAndRead() throws {
        let ffmpeg = try XCTUnwrap(programPath("ffmpeg"))
        let cases: [(String, [String], MediaFormat)] = [
            ("clip.avi", ["-c:v", "mpeg4"], .avi),
            ("clip.mts", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mpegts", "-mpegts_m2ts_mode", "1"], .mpegTS),
            ("clip.3gp", ["-c:v", "libx264", "-pix_fmt", "yuv420p"], .threeGPP),
        ]
        for (name, codec, format) in cases {
            let path = scratch.url.appendingPathComponent(name).path
            let made = try runProgram(ffmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3"]
                                      + codec + [path])
            XCTAssertEqual(made.status, 0, made.stderr)
            let head = try XCTUnwrap(FileHandle(forReadingAtPath: path)).readData(ofLength: FormatSniffer.headerLength)
            XCTAssertEqual(try FormatSniffer.detect([UInt8](head), fileExtension: String(name.split(separator: ".").last!)), format, name)
            let analyzed = try VideoAnalyzer().analyze(path: path, format: format, sidecar: nil)
            XCTAssertEqual([analyzed.metadata.width, analyzed.metadata.height], [320, 240], name)
            XCTAssertEqual(analyzed.metadata.duration ?? 0, 3, accuracy: 0.2, name)
            XCTAssertNotNil(analyzed.thumbnail, name)
        }
    }

    func testASidecarGivesWhatTheContainerLacks() throws {
        let sidecar = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/">
            <tiff:Make>Sony</tiff:Make><dc:description><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dusk</rdf:li></rdf:Alt></dc:description>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """
        let analyzed = try VideoAnalyzer().analyze(path: videos["turned.mov"]!, format: .quicktime, sidecar: Array(sidecar.utf8))
        XCTAssertEqual(analyzed.metadata.make, "Sony")
        XCTAssertEqual(analyzed.metadata.description, "Harbour at dusk")
    }

    func testWhatIsNotAVideoIsSaidInWords() throws {
        let text = scratch.url.appendingPathComponent("notes.mp4")
        try Data("not a film".utf8).write(to: text)
        XCTAssertThrowsError(try VideoAnalyzer().analyze(path: text.path, format: .mp4, sidecar: nil)) { error in
            XCTAssertTrue("\(error)".contains("ffprobe failed"), "\(error)")
        }
    }

    func testMissingFFmpegIsAProblemForEachVideoNotACrash() throws {
        let empty = try ScratchFolder("no-tools")
        defer { empty.remove() }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", empty.path, 1)
        defer { setenv("PATH", path, 1) }
        XCTAssertThrowsError(try VideoAnalyzer().analyze(path: videos["phone.mp4"]!, format: .mp4, sidecar: nil)) { error in
            XCTAssertEqual((error as? IndexProblem)?.stage, .metadata)
            XCTAssertTrue("\(error)".contains("ffprobe is not installed"), "\(error)")
        }
    }

    func testAToolPastItsDeadlineIsKilled() throws {
        guard programPath("sleep") != nil else { throw XCTSkip("no sleep program") }
        XCTAssertThrowsError(try ToolProcess(name: "sleep", seconds: 0.5, maxOutput: 1024).run(["30"], stage: .decode)) { error in
            XCTAssertTrue("\(error)".contains("took longer than"), "\(error)")
        }
    }

    func testAToolThatCrashesCostsOnlyItsProcess() throws {
        guard programPath("sh") != nil else { throw XCTSkip("no sh program") }
        XCTAssertThrowsError(try ToolProcess(name: "sh", seconds: 10, maxOutput: 1024).run(["-c", "kill -SEGV $$"], stage: .decode)) { error in
            XCTAssertEqual("\(error)", "decode: sh crashed (signal 11): no message")
        }
    }

    func testISO6709AsPhonesAndCamerasWriteIt() {
        XCTAssertEqual(VideoMetadata.iso6709("+48.8584+002.2945+035.000/"), GPSPosition(lat: 48.8584, lon: 2.2945, alt: 35))
        XCTAssertEqual(VideoMetadata.iso6709("-33.8688+151.2093/"), GPSPosition(lat: -33.8688, lon: 151.2093))
        let minutes = VideoMetadata.iso6709("+4851.504+00217.67/")
        XCTAssertEqual(minutes?.lat ?? 0, 48 + 51.504 / 60, accuracy: 1e-9)
        XCTAssertEqual(minutes?.lon ?? 0, 2 + 17.67 / 60, accuracy: 1e-9)
        XCTAssertNil(VideoMetadata.iso6709("+00.0000+000.0000/"), "0,0 is a missing fix")
        XCTAssertNil(VideoMetadata.iso6709("somewhere"))
    }
}
