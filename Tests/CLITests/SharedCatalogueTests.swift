import Foundation
import XCTest
import TestSupport

/// Several processes on one PostgreSQL catalogue, as on several machines: indexers sharing a run, search
/// servers following what another process indexed.
final class SharedCatalogueTests: CLITestCase {
    /// Every photo's `show --json` record but its id, by path.
    private func records(_ store: [String], paths: [String]) throws -> [String: NSDictionary] {
        var found = [String: NSDictionary]()
        for path in paths {
            let result = try runProgram(try binary, ["show", "--json"] + store + [path], environment: ["VIEWFINDER_DATA": data])
            guard result.status == 0 else { continue }  // an unreadable file: compared through `errors`
            let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            found[path] = NSDictionary(dictionary: record.filter { $0.key != "id" })
        }
        return found
    }

    private func errors(_ store: [String]) throws -> String {
        let result = try runProgram(try binary, ["errors", "--json"] + store, environment: ["VIEWFINDER_DATA": data])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testThreeIndexersOnPostgreSQLWithOneKilledEqualOneSQLiteRun() throws {
        let files = try corpusFiles("content") + corpusFiles("exif/cameras") + corpusFiles("malformed")
        let copied = try scratch.copy(files.filter { $0.pathExtension != "tsv" }, into: "library")
        let library = scratch.path + "/library"
        let sqlite = ["--data", scratch.path + "/single"]
        let shared = ["--store", try TemporaryPostgres.database()]
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision"] + sqlite + [library]).status, 0)

        let processes = try (0..<3).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = ["index", "--no-vision", "--data", scratch.path + "/node"] + shared + [library]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        // Killed mid-run, once photos are being stored: jobs are in flight under its lease.
        let deadline = Date().addingTimeInterval(60)
        while processes[0].isRunning, Date() < deadline, try photosStored(shared) == 0 { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(processes[0].isRunning, "the first indexer finished before it could be killed")
        kill(processes[0].processIdentifier, SIGKILL)
        for process in processes { process.waitUntilExit() }
        XCTAssertEqual(processes[1].terminationStatus, 0)
        XCTAssertEqual(processes[2].terminationStatus, 0)
        // The killed one's lease lapses; a later run (any machine) takes its jobs back.
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", scratch.path + "/node"] + shared + [library]).status, 0)

        let paths = copied.map(\.path)
        let expected = try records(sqlite, paths: paths), actual = try records(shared, paths: paths)
        XCTAssertGreaterThan(expected.count, 20)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        for (path, record) in expected { XCTAssertEqual(actual[path], record, path) }
        XCTAssertEqual(try errors(shared), try errors(sqlite))
        let listed = try everything(sqlite)
        XCTAssertEqual(listed.hits.count, expected.count)
        XCTAssertEqual(try everything(shared), listed)
    }

    /// `search --json ''` (every photo): its facets and total, and its hits without their ids (photos that tie
    /// are in id order, and ids are the store's own).
    private struct Listing: Equatable {
        var facets: NSDictionary
        var total: Int
        var hits: Set<NSDictionary>
    }

    private func everything(_ store: [String]) throws -> Listing {
        let result = try runProgram(try binary, ["search", "--json", "--limit", "200"] + store + [""],
                                    environment: ["VIEWFINDER_DATA": data])
        XCTAssertEqual(result.status, 0, result.stderr)
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let hits = try XCTUnwrap(answer["hits"] as? [[String: Any]])
        return Listing(facets: NSDictionary(dictionary: try XCTUnwrap(answer["facets"] as? [String: Any])),
                       total: try XCTUnwrap(answer["total"] as? Int),
                       hits: Set(hits.map { NSDictionary(dictionary: $0.filter { $0.key != "id" }) }))
    }

    /// How many photos the catalogue holds now.
    private func photosStored(_ store: [String]) throws -> Int {
        let result = try runProgram(try binary, ["status", "--json"] + store, environment: ["VIEWFINDER_DATA": data])
        guard result.status == 0, let status = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let photos = status["photos"] as? Int else { return 0 }
        return photos
    }

    func testTwoSearchServersSeeAPhotoAThirdProcessIndexedWithinTwoSeconds() throws {
        let photos = try corpusFiles("content").filter { $0.pathExtension == "jpg" }
        XCTAssertGreaterThan(photos.count, 3)
        try scratch.copy(Array(photos.dropLast()), into: "library")
        let store = ["--store", try TemporaryPostgres.database()]
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", scratch.path + "/a"] + store + [scratch.path + "/library"]).status, 0)
        let servers = try ["a", "b"].map { name in
            let port = freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = ["serve", "--no-vision", "--data", scratch.path + "/" + name, "--port", String(port)] + store
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return (process, port)
        }
        defer { for (process, _) in servers { process.terminate(); process.waitUntilExit() } }
        let newcomer = try XCTUnwrap(photos.last)
        for (_, port) in servers {
            let before = try XCTUnwrap(try everything(port: port, within: 60), "the server on \(port) never answered")
            XCTAssertEqual(before.count, photos.count - 1)
            XCTAssertFalse(before.contains { $0.hasSuffix(newcomer.lastPathComponent) })
        }

        try scratch.copy([newcomer], into: "library")
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", scratch.path + "/c"] + store + [scratch.path + "/library"]).status, 0)
        let indexed = Date()
        for (_, port) in servers {
            var seen = false
            while !seen, Date().timeIntervalSince(indexed) < 2 {
                seen = try everything(port: port, within: 0)?.contains { $0.hasSuffix(newcomer.lastPathComponent) } ?? false
                if !seen { Thread.sleep(forTimeInterval: 0.05) }
            }
            XCTAssertTrue(seen, "the server on \(port) did not find \(newcomer.lastPathComponent) within 2 s of the index ending")
        }
    }

    /// The paths of every photo a server shows (an empty search, newest first), or nil while it is not answering.
    private func everything(port: Int, within seconds: Double) throws -> [String]? {
        let deadline = Date().addingTimeInterval(seconds)
        let url = URL(string: "http://127.0.0.1:\(port)/api/search?q=&limit=200")!
        repeat {
            if let data = try? Data(contentsOf: url),
               let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let hits = answer["hits"] as? [[String: Any]] {
                return hits.compactMap { $0["path"] as? String }
            }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        return nil
    }
}
