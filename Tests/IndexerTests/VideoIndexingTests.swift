import XCTest
@testable import Indexer
import Catalogue
import Media
import SQLiteCatalogue
import TestSupport
import ViewfinderCore
import Vision

/// Videos found by the walker, indexed through ffprobe and ffmpeg, stored with their length and thumbnailed.
final class VideoIndexingTests: XCTestCase {
    private var scratch: ScratchFolder!
    private var store: SQLiteStore!
    private var renditions: SQLiteRenditionStore!
    private var library: URL { scratch.url.appendingPathComponent("library") }

    override func setUpWithError() throws {
        if let missing = TestVideos.missingTools { throw XCTSkip(missing) }
        scratch = try ScratchFolder("video-index")
        store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
    }

    override func tearDown() { scratch?.remove() }

    private func photo(_ name: String) throws -> PhotoRecord? {
        try store.photo(atPath: LibraryIndexer.canonical(library.appendingPathComponent(name).path))
    }

    func testVideosAreIndexedThumbnailedAndRefusedUnderAPhotosName() throws {
        let made = try TestVideos.make(in: library)
        // An MP4 named as a photo is refused in words, not read whole as a picture.
        try FileManager.default.copyItem(atPath: made["phone.mp4"]!, toPath: library.appendingPathComponent("clip.heic").path)
        let summary = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path])
        XCTAssertEqual(summary.indexed, 3)
        XCTAssertEqual(summary.failed, 1)
        let phone = try XCTUnwrap(try photo("phone.mp4"))
        XCTAssertEqual(phone.format, "mp4")
        XCTAssertEqual(phone.duration ?? 0, 3, accuracy: 0.1)
        XCTAssertEqual(phone.contentIdentifier, TestVideos.contentIdentifier)
        XCTAssertEqual(phone.taken, "2019-06-14T18:30:12+02:00")
        XCTAssertEqual(phone.make, "Apple")
        XCTAssertEqual(phone.lat ?? 0, TestVideos.latitude, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(try photo("turned.mov")).format, "quicktime")
        XCTAssertEqual([try XCTUnwrap(try photo("turned.mov")).width, try XCTUnwrap(try photo("turned.mov")).height], [240, 320])
        XCTAssertEqual(try XCTUnwrap(try photo("short.mkv")).format, "matroska")
        for name in made.keys {
            let video = try XCTUnwrap(try photo(name), name)
            XCTAssertTrue(try renditions.contains(hash: video.contentHash, kind: .thumbnail), name)
            XCTAssertTrue(try renditions.contains(hash: video.contentHash, kind: .preview), "\(name): the poster frame is its preview")
            XCTAssertNotNil(video.thumbhash, name)
        }
        // The hash is the whole file's, though the video was streamed rather than read into memory.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: made["phone.mp4"]!))
        XCTAssertEqual(phone.contentHash, PhotoAnalyzer.hash([UInt8](bytes)).hex)
        XCTAssertNil(try photo("clip.heic"))
        let refusal = try XCTUnwrap(try store.problems(at: LibraryIndexer.canonical(library.appendingPathComponent("clip.heic").path)).first)
        XCTAssertTrue(refusal.reason.contains("MP4 video named .heic"), refusal.reason)
        let again = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path])
        XCTAssertEqual(again.indexed, 0, "an unchanged video is not probed again")
    }

    func testXMPAnEditorWroteIntoAnMP4OrAMOVIsRead() throws {
        let made = try TestVideos.make(in: library)
        let exiftool = try XCTUnwrap(programPath("exiftool"))
        try FileManager.default.removeItem(atPath: made["short.mkv"]!)
        for (name, model) in [("phone.mp4", "ILCE-7M3"), ("turned.mov", "ILCE-7M4")] {
            let wrote = try runProgram(exiftool, ["-q", "-overwrite_original", "-XMP-tiff:Make=Sony", "-XMP-tiff:Model=\(model)",
                                                  "-XMP-dc:Description=Harbour at dusk", "-XMP-dc:Subject=harbour", made[name]!])
            XCTAssertEqual(wrote.status, 0, wrote.stderr)
        }
        XCTAssertNotNil(VideoXMP.read(made["turned.mov"]!), "exiftool writes a MOV's XMP into moov/udta/XMP_")
        XCTAssertNotNil(VideoXMP.read(made["phone.mp4"]!), "and an MP4's into a top-level uuid box")
        _ = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path])
        for (name, model) in [("phone.mp4", TestVideos.model), ("turned.mov", "ILCE-7M4")] {
            let video = try XCTUnwrap(try photo(name), name)
            XCTAssertEqual(video.description, "Harbour at dusk", name)
            XCTAssertEqual(video.metadata.keywords, ["harbour"], name)
            // Apple's own key outranks the XMP copy; a MOV without one takes the XMP's.
            XCTAssertEqual(video.model, model, name)
        }
    }

    func testTheModelsSeeTheMiddleAndEndOfAVideoToo() throws {
        // Two seconds of red, then four of blue: the poster (one second in) is red, the later frames blue.
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        let path = library.appendingPathComponent("sunset.mp4").path
        let made = try runProgram(try XCTUnwrap(programPath("ffmpeg")), [
            "-nostdin", "-v", "error", "-filter_complex",
            "color=c=red:s=320x240:r=25:d=2[a];color=c=blue:s=320x240:r=25:d=4[b];[a][b]concat=n=2:v=1:a=0",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let summary = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path], vision: ColourNamer())
        XCTAssertEqual(summary.described, 1)
        let video = try XCTUnwrap(try photo("sunset.mp4"))
        let stored = try XCTUnwrap(try store.description(photoID: try XCTUnwrap(video.id)))
        let labels = try JSONDecoder().decode([PhotoDescription.Label].self, from: Data(stored.labels.utf8)).map(\.name)
        XCTAssertEqual(Set(labels), ["red", "blue"], "the poster's colour and the later frames'")
        XCTAssertEqual(stored.caption, "mostly red", "the caption stays the poster's")
        XCTAssertEqual(stored.text.split(separator: "\n"), ["RED", "BLUE"], "each line read once")
    }

    func testWithoutFFmpegEachVideoIsRecordedAsAProblem() throws {
        try TestVideos.make(in: library)
        let empty = try ScratchFolder("no-tools")
        defer { empty.remove() }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", empty.path, 1)
        defer { setenv("PATH", path, 1) }
        let summary = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path])
        XCTAssertEqual(summary.indexed, 0)
        XCTAssertEqual(summary.failed, 3, "never a silent skip")
        let problems = try store.problems()
        XCTAssertEqual(problems.count, 3)
        XCTAssertTrue(problems.allSatisfy { $0.reason.contains("ffprobe is not installed") }, "\(problems.map(\.reason))")
        // Once FFmpeg is installed, the next run reads the same unchanged files.
        setenv("PATH", path, 1)
        let installed = try LibraryIndexer(store: store, renditions: renditions).run(roots: [library.path])
        XCTAssertEqual(installed.indexed, 3)
        XCTAssertEqual(try store.problems().count, 0)
    }
}

/// Names the strongest colour of each picture it is shown: what a frame shows, decided by its pixels.
private struct ColourNamer: VisionService {
    var models: [String] { ["colour"] }

    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        requests.map { request in
            var sums = [0, 0, 0]
            for (index, value) in request.rgb.enumerated() { sums[index % 3] += Int(value) }
            let colour = ["red", "green", "blue"][sums.firstIndex(of: sums.max()!)!]
            return .success(PhotoDescription(caption: "mostly \(colour)", labels: [.init(name: colour, score: 0.9)],
                                             text: colour.uppercased(), faces: [], place: nil, vectors: [:]))
        }
    }

    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { [:] }
    func shutdown() {}
}
