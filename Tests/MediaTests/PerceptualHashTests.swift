import Foundation
import Media
import TestSupport
import ViewfinderCore
import XCTest

/// The perceptual hash on real photos: copies made the ways people make them (re-encoded, resized, cropped) stay
/// within a few bits of their original, unrelated photos stay far apart. The numbers it prints are the ones
/// docs/ARCHITECTURE.md quotes ("Near-duplicates").
final class PerceptualHashTests: XCTestCase {
    func testStoredFormRoundTripsAndDistanceCountsBits() {
        let hash = PerceptualHash(bits: 0xF000_0000_0000_0001)
        XCTAssertEqual(PerceptualHash(stored: hash.stored), hash)
        XCTAssertLessThan(hash.stored, 0, "the top bit makes a negative integer, which both stores keep")
        XCTAssertEqual(hash.distance(to: PerceptualHash(bits: 0)), 5)
        XCTAssertEqual(hash.description, "f000000000000001")
    }

    func testTheSamePixelsGiveTheSameHashAndAMirroredPictureAnother() {
        // A gradient and the same gradient reversed: opposite low frequencies across, so most bits differ.
        let width = 64, height = 48
        var rgb = [UInt8](), reversed = [UInt8]()
        for y in 0..<height {
            for x in 0..<width {
                let v = UInt8(x * 255 / (width - 1)), w = UInt8((width - 1 - x) * 255 / (width - 1))
                rgb += [v, UInt8(y * 5), 128]
                reversed += [w, UInt8(y * 5), 128]
            }
        }
        let a = PerceptualHash(rgb: rgb, width: width, height: height)
        XCTAssertEqual(a, PerceptualHash(rgb: rgb, width: width, height: height), "the same pixels, the same hash")
        XCTAssertGreaterThan(a.distance(to: PerceptualHash(rgb: reversed, width: width, height: height)), 16)
    }

    func testCopiesStayCloseAndUnrelatedPhotosFarOnTheCorpus() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vips") else {
            throw XCTSkip("the vips command (Debian's libvips-tools) makes the copies; install it to run this test")
        }
        var originals = [(name: String, hash: PerceptualHash, file: URL)]()
        for folder in ["content", "people"] {
            let (url, reason) = Corpus.folder(folder)
            guard let url else { throw XCTSkip(reason) }
            for file in Corpus.files(in: url) {
                guard let hash = try? Self.hash(file) else { continue }  // LABELS.tsv, README.md
                originals.append((folder + "/" + file.lastPathComponent, hash, file))
            }
        }
        XCTAssertGreaterThan(originals.count, 50)
        let scratch = try ScratchFolder("phash")
        defer { scratch.remove() }
        var copies = [String: [Int]]()
        for original in originals {
            let (width, height) = try Self.size(original.file)
            let made: [(String, [String])] = [
                ("q60.jpg", ["copy", original.file.path, "%@[Q=60]"]),
                ("half.jpg", ["resize", original.file.path, "%@[Q=90]", "0.5"]),
                ("half.png", ["resize", original.file.path, "%@", "0.5"]),
                ("crop5.jpg", ["crop", original.file.path, "%@[Q=90]", "\(width / 40)", "\(height / 40)",
                               "\(width - 2 * (width / 40))", "\(height - 2 * (height / 40))"]),
                ("crop10.jpg", ["crop", original.file.path, "%@[Q=90]", "\(width / 20)", "\(height / 20)",
                                "\(width - 2 * (width / 20))", "\(height - 2 * (height / 20))"]),
            ]
            for (kind, arguments) in made {
                let output = scratch.path + "/" + UUID().uuidString + "-" + kind
                let filled = arguments.map { $0.replacingOccurrences(of: "%@", with: output) }
                let result = try runProgram("/usr/bin/vips", filled)
                XCTAssertEqual(result.status, 0, "vips \(filled.joined(separator: " ")): \(result.stderr)")
                let distance = try Self.hash(URL(fileURLWithPath: output)).distance(to: original.hash)
                copies[kind, default: []].append(distance)
                if !kind.hasPrefix("crop") { XCTAssertLessThanOrEqual(distance, 4, "\(original.name) \(kind)") }
            }
        }
        var unrelated = [Int]()
        for i in originals.indices {
            for j in originals.indices where j > i { unrelated.append(originals[i].hash.distance(to: originals[j].hash)) }
        }
        for (kind, distances) in copies.sorted(by: { $0.key < $1.key }) { print("copy \(kind): \(Self.summary(distances))") }
        print("unrelated pairs: \(Self.summary(unrelated))")
        // A crop moves every frequency's phase: a repeating texture (ski-brick) loses most; 5% still keeps nearly all.
        XCTAssertGreaterThanOrEqual(copies["crop5.jpg", default: []].filter { $0 <= 12 }.count, originals.count - 2)
        XCTAssertGreaterThan(unrelated.min() ?? 64, 16, "two different corpus photos look alike to the hash")
    }

    static func hash(_ file: URL) throws -> PerceptualHash {
        let bytes = [UInt8](try Data(contentsOf: file))
        let analyzed = try PhotoAnalyzer().analyze(bytes, fileExtension: file.pathExtension, sidecar: nil)
        guard let thumbnail = analyzed.thumbnail else { throw IndexProblem(.thumbnail, "no thumbnail") }
        return thumbnail.perceptualHash
    }

    /// The stored pixel size (what vips crops), from vips itself.
    static func size(_ file: URL) throws -> (Int, Int) {
        let width = try runProgram("/usr/bin/vipsheader", ["-f", "width", file.path]).stdout
        let height = try runProgram("/usr/bin/vipsheader", ["-f", "height", file.path]).stdout
        guard let w = Int(width.trimmingCharacters(in: .whitespacesAndNewlines)),
              let h = Int(height.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw IndexProblem(.decode, "no size") }
        return (w, h)
    }

    static func summary(_ values: [Int]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "none" }
        let histogram = Dictionary(grouping: sorted, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
            .map { "\($0.key):\($0.value)" }.joined(separator: " ")
        return "n=\(sorted.count) min=\(sorted[0]) median=\(sorted[sorted.count / 2]) max=\(sorted.last!) [\(histogram)]"
    }
}
