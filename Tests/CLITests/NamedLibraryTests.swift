import Foundation
import TestSupport
import XCTest

/// A library mounted at one path on the machine that indexed it and at another on the machine that serves it.
final class NamedLibraryTests: CLITestCase {
    func testPhotosIndexedUnderOneRootAreFoundUnderAnotherWithNothingReindexed() throws {
        let url = try TemporaryPostgres.database()
        let files = try corpusFiles("exif/gps").filter { $0.lastPathComponent.hasPrefix("es-DSCN") }.prefix(3).map { $0 }
        try scratch.copy(files, into: "A/Fotos été")
        let first = scratch.path + "/A/Fotos été", second = scratch.path + "/B/mounted/Fotos été"
        func run(_ arguments: [String], machine: String, root: String?) throws -> Any {
            let mount = root.map { ["--library", "photos=" + $0] } ?? []
            let result = try runProgram(try binary, arguments + ["--store", url, "--data", scratch.path + "/" + machine] + mount)
            XCTAssertEqual(result.status, 0, result.stderr)
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        }
        let indexed = try XCTUnwrap(try run(["index", "--json", "--no-vision", first], machine: "dataA", root: first) as? [String: Any])
        XCTAssertEqual(indexed["indexed"] as? Int, 3)

        try FileManager.default.createDirectory(atPath: scratch.path + "/B/mounted", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: first, toPath: second)
        for file in files {
            let shown = try XCTUnwrap(try run(["show", "--json", second + "/" + file.lastPathComponent], machine: "dataB", root: second)
                as? [String: Any])
            XCTAssertEqual(shown["path"] as? String, second + "/" + file.lastPathComponent)
            XCTAssertEqual(shown["make"] as? String, "NIKON")
        }
        let found = try XCTUnwrap(try run(["search", "--json", "--no-semantic", "dscn"], machine: "dataB", root: second) as? [String: Any])
        XCTAssertEqual(Set((found["hits"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }),
                       Set(files.map { second + "/" + $0.lastPathComponent }))

        let again = try XCTUnwrap(try run(["index", "--json", "--no-vision", second], machine: "dataB", root: second) as? [String: Any])
        XCTAssertEqual(again["indexed"] as? Int, 0, "nothing read again: the catalogue knew the files under their new root")
        XCTAssertEqual(again["unchanged"] as? Int, 3)
        XCTAssertEqual(again["moved"] as? Int, 0)
        XCTAssertEqual(again["removed"] as? Int, 0)
        // The same mount from the machine's data folder instead of the command line.
        try "# where this machine mounts its libraries\nphotos=\(second)\n".write(toFile: scratch.path + "/dataB/libraries", atomically: true, encoding: .utf8)
        let name = files[0].lastPathComponent
        let shown = try XCTUnwrap(try run(["show", "--json", second + "/" + name], machine: "dataB", root: nil) as? [String: Any])
        XCTAssertEqual(shown["path"] as? String, second + "/" + name)
        let status = try XCTUnwrap(try run(["status", "--json"], machine: "dataB", root: second) as? [String: Any])
        XCTAssertEqual(status["photos"] as? Int, 3)
        XCTAssertEqual(status["missing"] as? Int, 0)

        // A machine that does not mount the library still lists the photos, by library and relative path.
        let unmounted = try XCTUnwrap(try run(["search", "--json", "--no-semantic", "dscn"], machine: "dataC", root: nil) as? [String: Any])
        XCTAssertEqual(Set((unmounted["hits"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }),
                       Set(files.map { "photos:/" + $0.lastPathComponent }))
    }

    func testPhotosIndexedBeforeTheirLibraryWasNamedTakeTheirLibraryPaths() throws {
        let files = try corpusFiles("exif/gps").filter { $0.lastPathComponent.hasPrefix("es-DSCN") }.prefix(3).map { $0 }
        try scratch.copy(files, into: "library")
        let root = scratch.path + "/library"
        XCTAssertEqual(try viewfinder("index", "--no-vision", root).status, 0)
        let named = try XCTUnwrap(try json("index", "--json", "--no-vision", "--library", "photos=" + root, root) as? [String: Any])
        XCTAssertEqual(named["moved"] as? Int, 3, "each photo found again by its content, its description kept")
        XCTAssertEqual(named["indexed"] as? Int, 0)
        XCTAssertEqual(named["removed"] as? Int, 0)
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["photos"] as? Int, 3)
        let hits = try XCTUnwrap(try json("search", "--json", "--no-semantic", "dscn") as? [String: Any])["hits"] as? [[String: Any]]
        XCTAssertEqual(Set((hits ?? []).compactMap { $0["path"] as? String }), Set(files.map { "photos:/" + $0.lastPathComponent }))
    }
}
