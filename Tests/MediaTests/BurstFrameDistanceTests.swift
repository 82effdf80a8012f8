import Foundation
import Media
@testable import Search
import TestSupport
import ViewfinderCore
import XCTest

/// How far apart the perceptual hashes of a burst's frames are, against different photos one camera takes seconds
/// apart: the numbers behind the near-frame burst thresholds in Search's `Stacks` (BENCHMARKS.md, "Bursts by
/// near-identical frames"). Frames are a corpus photo seen through a window that drifts as a hand-held camera
/// does; `VIEWFINDER_BURST_CLIPS` (paths, ":" between) adds frames of real footage a fraction of a second apart.
final class BurstFrameDistanceTests: XCTestCase {
    /// The most bits two frames of one burst may differ by: the threshold these measurements stand behind.
    static let burstLooks = Stacks.burstLooks

    func testDriftingFramesStayCloseAndDifferentShotsSecondsApartDoNot() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vips") else {
            throw XCTSkip("the vips command (Debian's libvips-tools) cuts the frames; install it to run this test")
        }
        var photos = [URL]()
        for folder in ["content", "people", "exif/gps"] {
            let (url, reason) = Corpus.folder(folder)
            guard let url else { throw XCTSkip(reason) }
            photos += Corpus.files(in: url).filter { ["jpg", "jpeg", "png"].contains($0.pathExtension.lowercased()) }
        }
        let scratch = try ScratchFolder("burst-frames")
        defer { scratch.remove() }
        // A frame is 90% of the photo; the next one's window has moved by `step` percent of the width and height
        // (a hand-held burst at 10 frames a second drifts about 1–3%).
        var drift = [Int: [Int]]()
        for photo in photos {
            let (width, height) = try PerceptualHashTests.size(photo)
            guard width >= 200, height >= 200 else { continue }
            let (w, h) = (width * 9 / 10, height * 9 / 10)
            let first = try frame(photo, x: 0, y: 0, w: w, h: h, scratch)
            for step in [1, 2, 3, 5] {
                let moved = try frame(photo, x: width * step / 100, y: height * step / 100, w: w, h: h, scratch)
                drift[step, default: []].append(first.distance(to: moved))
            }
        }
        for (step, distances) in drift.sorted(by: { $0.key < $1.key }) { print("frames \(step)% apart: \(PerceptualHashTests.summary(distances))") }
        XCTAssertGreaterThan(drift[1, default: []].count, 30)
        let within = drift[1, default: []].filter { $0 <= Self.burstLooks }.count
        XCTAssertGreaterThanOrEqual(within * 10, drift[1]!.count * 9, "nine in ten frames 1% apart are within \(Self.burstLooks) bits")

        // Different shots one camera took seconds apart: two halves of one White House frame (same camera, same
        // second), and a walk's consecutive photos (one Coolpix, 40 s to 8 min apart).
        let (people, reason) = Corpus.folder("people")
        guard let people else { throw XCTSkip(reason) }
        let (gps, gpsReason) = Corpus.folder("exif/gps")
        guard let gps else { throw XCTSkip(gpsReason) }
        let walk = ["es-DSCN0010.jpg", "es-DSCN0012.jpg", "es-DSCN0021.jpg", "es-DSCN0025.jpg", "es-DSCN0027.jpg", "es-DSCN0029.jpg"]
        var pairs = [(people.appendingPathComponent("obama-4.jpg"), people.appendingPathComponent("biden-1.jpg"))]
        pairs += zip(walk, walk.dropFirst()).map { (gps.appendingPathComponent($0), gps.appendingPathComponent($1)) }
        var different = [Int]()
        for (a, b) in pairs {
            let distance = try PerceptualHashTests.hash(a).distance(to: try PerceptualHashTests.hash(b))
            print("different shots \(a.lastPathComponent) \(b.lastPathComponent): \(distance)")
            different.append(distance)
        }
        print("different shots seconds apart: \(PerceptualHashTests.summary(different))")
        // With room to spare: as far from the limit as the closest unrelated corpus photos are from duplicates'.
        XCTAssertGreaterThanOrEqual(different.min() ?? 0, Self.burstLooks + 6)

        let clips = (ProcessInfo.processInfo.environment["VIEWFINDER_BURST_CLIPS"] ?? "").split(separator: ":").map(String.init)
        guard !clips.isEmpty else { return print("no VIEWFINDER_BURST_CLIPS: frames of real footage not measured") }
        guard let ffmpeg = programPath("ffmpeg"), let ffprobe = programPath("ffprobe") else {
            throw XCTSkip("ffmpeg and ffprobe cut the clips' frames; not installed")
        }
        var footage = [Double: [Int]]()
        for clip in clips {
            let probed = try runProgram(ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip])
            let duration = try XCTUnwrap(Double(probed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(clip): \(probed.stderr)")
            for gap in [0.1, 0.2, 0.5, 1, 2] {
                // Pairs of frames `gap` apart, starting every second through the clip.
                for start in stride(from: 0.2, through: duration - gap - 0.2, by: 1) {
                    let first = try clipFrame(ffmpeg, clip, at: start, scratch)
                    footage[gap, default: []].append(first.distance(to: try clipFrame(ffmpeg, clip, at: start + gap, scratch)))
                }
            }
        }
        for (gap, distances) in footage.sorted(by: { $0.key < $1.key }) { print("footage frames \(gap) s apart: \(PerceptualHashTests.summary(distances))") }
    }

    private func frame(_ photo: URL, x: Int, y: Int, w: Int, h: Int, _ scratch: ScratchFolder) throws -> PerceptualHash {
        let output = scratch.path + "/" + UUID().uuidString + ".jpg"
        let result = try runProgram("/usr/bin/vips", ["crop", photo.path, output + "[Q=90]", "\(x)", "\(y)", "\(w)", "\(h)"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try PerceptualHashTests.hash(URL(fileURLWithPath: output))
    }

    private func clipFrame(_ ffmpeg: String, _ clip: String, at seconds: Double, _ scratch: ScratchFolder) throws -> PerceptualHash {
        let output = scratch.path + "/" + UUID().uuidString + ".jpg"
        let result = try runProgram(ffmpeg, ["-v", "error", "-ss", String(seconds), "-i", clip, "-frames:v", "1", "-q:v", "3", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try PerceptualHashTests.hash(URL(fileURLWithPath: output))
    }
}
