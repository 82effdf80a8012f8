import Foundation
import TestSupport
import XCTest

/// `viewfinder duplicates` on the corpus's content photos with copies made the ways people make them: every
/// re-encoded and halved copy is found with its original (marked best), nearly every 5%-cropped one, exact
/// copies are grouped by content, and no group mixes two different photos.
final class DuplicatesCommandTests: CLITestCase {
    func testCopiesOfCorpusPhotosAreGroupedWithTheirOriginalMarkedBest() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/vips") else {
            throw XCTSkip("the vips command (Debian's libvips-tools) makes the copies; install it to run this test")
        }
        let photos = try corpusFiles("content").filter { $0.pathExtension != "tsv" }
        let originals = try scratch.copy(photos, into: "library/a-originals")
        let again = try scratch.copy(Array(photos.prefix(2)), into: "library/b-again")
        let copies = scratch.path + "/library/c-copies"
        try FileManager.default.createDirectory(atPath: copies, withIntermediateDirectories: true)
        var family = [String: String]()  // every path of the library -> the original it was made from
        for (original, copy) in zip(photos.prefix(2), again) { family[copy.path] = original.lastPathComponent }
        for (photo, original) in zip(photos, originals) {
            let name = photo.lastPathComponent
            family[original.path] = name
            let (w, h) = try Self.size(photo)
            let made: [(String, [String])] = [
                ("q60.jpg", ["copy", photo.path, "%@[Q=60]"]),
                ("half.jpg", ["resize", photo.path, "%@[Q=90]", "0.5"]),
                ("crop5.jpg", ["crop", photo.path, "%@[Q=90]", "\(w / 40)", "\(h / 40)", "\(w - 2 * (w / 40))", "\(h - 2 * (h / 40))"]),
            ]
            for (kind, arguments) in made {
                let output = copies + "/" + name + "-" + kind
                let result = try runProgram("/usr/bin/vips", arguments.map { $0.replacingOccurrences(of: "%@", with: output) })
                XCTAssertEqual(result.status, 0, result.stderr)
                family[output] = name
            }
        }
        let indexed = try viewfinder("index", "--no-vision", scratch.path + "/library")
        XCTAssertEqual(indexed.status, 0, indexed.stderr)

        let answer = try XCTUnwrap(try json("duplicates", "--json") as? [String: Any])
        let groups = try XCTUnwrap(answer["groups"] as? [[String: Any]])
        var foundWithOriginal = Set<String>()
        for group in groups {
            let members = try XCTUnwrap(group["photos"] as? [[String: Any]])
            let paths = members.compactMap { $0["path"] as? String }
            XCTAssertEqual(Set(paths.map { family[$0] ?? $0 }).count, 1, "a group holds copies of one photo only: \(paths)")
            XCTAssertEqual(members.map { $0["best"] as? Bool }, [true] + Array(repeating: false, count: members.count - 1))
            XCTAssert(members.allSatisfy { ($0["width"] as? Int ?? 0) > 0 && $0["height"] is Int && $0["distance"] is Int })
            switch group["kind"] as? String {
            case "exact":
                XCTAssertEqual(paths.count, 2)
                XCTAssert(paths[0].contains("/a-originals/"), "the original file is the best of its exact copies: \(paths)")
                XCTAssert(members.allSatisfy { $0["distance"] as? Int == 0 })
            case "near":
                // A PNG naming a camera (skimage's chelsea) reads as a re-encode of the camera's JPEG, so its JPEG
                // copy of the same size and metadata is taken for the camera's file: the rule, not a slip.
                let pngFromCamera = paths[0].hasSuffix(".png-q60.jpg") && paths.contains { $0.hasSuffix(".png") }
                XCTAssert(paths[0].contains("/a-originals/") || pngFromCamera, "the original is the best of its copies: \(paths)")
                XCTAssert(paths.contains { $0.contains("/a-originals/") || $0.contains("/b-again/") }, "with its original: \(paths)")
                for path in paths { foundWithOriginal.insert(path) }
                XCTAssert(members.dropFirst().allSatisfy { ($0["distance"] as? Int ?? 99) <= 12 })
            default:
                XCTFail("kind \(String(describing: group["kind"]))")
            }
        }
        let made = family.keys.filter { $0.contains("/c-copies/") }
        for copy in made where !copy.hasSuffix("crop5.jpg") {
            XCTAssert(foundWithOriginal.contains(copy), "\(copy) was not found with its original")
        }
        let crops = made.filter { $0.hasSuffix("crop5.jpg") }
        let cropsFound = crops.filter(foundWithOriginal.contains)
        XCTAssertGreaterThanOrEqual(cropsFound.count, crops.count - 2,
                                    "5% crops not found: \(Set(crops).subtracting(cropsFound).sorted())")
        XCTAssertEqual(groups.filter { $0["kind"] as? String == "exact" }.count, 2)

        let text = try viewfinder("duplicates")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssert(text.stdout.contains("near, 4 photos:"), text.stdout)
    }

    func testAnEmptyCatalogueHasNoDuplicates() throws {
        let library = scratch.path + "/empty"
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
        XCTAssertEqual(try viewfinder("index", "--no-vision", library).status, 0)
        let answer = try XCTUnwrap(try json("duplicates", "--json") as? [String: Any])
        XCTAssertEqual((answer["groups"] as? [Any])?.count, 0)
    }

    static func size(_ file: URL) throws -> (Int, Int) {
        let lines = try runProgram("/usr/bin/vipsheader", ["-a", file.path]).stdout.split(separator: "\n")
        func field(_ name: String) -> Int? {
            lines.first { $0.hasPrefix(name + ":") }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
        }
        guard let w = field("width"), let h = field("height") else { throw XCTSkip("vipsheader gave no size for \(file.path)") }
        return (w, h)
    }
}
