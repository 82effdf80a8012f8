import Catalogue
import Foundation
import SQLiteCatalogue
import TestSupport
import XCTest

/// `viewfinder migrate` between a data folder and PostgreSQL (the tests' own server): nothing lost either way,
/// an interrupted copy carried on, an unrelated target refused.
final class MigrateTests: CLITestCase {
    /// Three photos and a broken file indexed without the models, then a description with vectors and an
    /// offline photo written through the store, so every kind of row has something in it.
    func makeLibrary() throws -> [URL] {
        let photos = try corpusFiles("content").filter { ["dk-dog.jpg", "es-canon-ixus.jpg", "es-45-gps_ifd.jpg"].contains($0.lastPathComponent) }
        let broken = try corpusFiles("malformed").filter { $0.lastPathComponent == "derived-text_README_named.jpg" }
        let library = try scratch.copy(photos + broken, into: "library")
        let run = try viewfinder("index", "--no-vision", scratch.path + "/library")
        XCTAssertEqual(run.status, 0, run.stderr)
        let store = try SQLiteStore(path: data + "/catalogue.sqlite")
        let dog = try XCTUnwrap(try store.photo(atPath: library[0].path))
        let id = try XCTUnwrap(dog.id)
        try store.enqueue([JobRecord(kind: .describe, target: String(id))])
        let claim = JobClaim(owner: "test/1/1", until: Date().timeIntervalSince1970 + 600)
        let job = try XCTUnwrap(try store.claimJobs(.describe, after: 0, suspects: false, limit: 100, for: claim)
            .first { $0.target == String(id) })
        let description = DescriptionRecord(
            photoID: id, contentHash: dog.contentHash, caption: "a dog on a lawn", labels: #"[{"name":"dog","score":0.93}]"#,
            text: "", faces: "[]", faceCount: 0, place: nil, models: #"["classifier@abc"]"#, describedAt: 1_700_000_000.25)
        let vectors = [VectorRecord(photoID: id, model: "clip", values: [0.6, 0.8]),
                       VectorRecord(photoID: id, model: "sentence", values: [1, 0, -0.0])]
        XCTAssertEqual(try store.commit([FinishedJob(job: job, change: .described(description, vectors: vectors, rewrite: nil, problem: nil))],
                                        owner: claim.owner).applied, 1)
        try store.releaseClaims(owner: claim.owner)
        try store.setOffline([library[1].path], reason: "unmounted", since: 1_700_000_000)
        try store.setSetting("describedWith", "classifier@abc")
        return library
    }

    func migrate(_ arguments: String...) throws -> [String: Any] {
        let result = try viewfinder(["migrate", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func viewfinder(_ arguments: [String]) throws -> (stdout: String, stderr: String, status: Int32) {
        try runProgram(try binary, arguments, environment: ["VIEWFINDER_DATA": data])
    }

    /// What scripts see of a catalogue: every photo's `show --json`, the problems, and the counts.
    func everything(_ place: [String], _ photos: [URL]) throws -> [String: NSObject] {
        func read(_ arguments: [String]) throws -> NSObject {
            let result = try viewfinder(arguments + place)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! NSObject
        }
        // `status` names the data folder it read: the one place two copies may differ.
        let status = try read(["status", "--json"]).mutableCopy() as! NSMutableDictionary
        status.removeObject(forKey: "dataFolder")
        var seen = ["errors": try read(["errors", "--json", "--warnings"]), "status": status,
                    "duplicates": try read(["duplicates", "--json"])]
        for photo in photos.dropLast() { seen[photo.lastPathComponent] = try read(["show", "--json", photo.path]) }
        return seen
    }

    func testALibraryGoesToPostgreSQLAndBackWithNothingLost() throws {
        let photos = try makeLibrary()
        let url = try TemporaryPostgres.database()
        let original = try everything(["--data", data], photos)
        XCTAssertNotNil((original["dk-dog.jpg"] as? [String: Any])?["caption"] as? String, "the description is shown")
        XCTAssertEqual((original["status"] as? [String: Any])?["offline"] as? Int, 1)

        let there = try migrate("--from", data, "--to", url)
        XCTAssertEqual(there["verified"] as? Bool, true)
        for (kind, count) in [("photos", 3), ("descriptions", 1), ("vectors", 2), ("offline", 1)] {
            XCTAssertEqual(there[kind] as? Int, count, kind)
        }
        for kind in ["problems", "jobs", "settings", "renditions"] { XCTAssertGreaterThan(there[kind] as? Int ?? 0, 0, kind) }
        XCTAssertEqual(there["copied"] as? Int, TransferKind.allCases.reduce(0) { $0 + (there[$1.rawValue] as? Int ?? 0) })
        XCTAssertEqual(try everything(["--store", url], photos), original)

        let back = scratch.path + "/back"
        let returned = try migrate("--from", url, "--to", back)
        XCTAssertEqual(returned["verified"] as? Bool, true)
        XCTAssertEqual(returned["hash"] as? String, there["hash"] as? String, "the same rows came back")
        XCTAssertEqual(try everything(["--data", back], photos), original)
        for kind in ["thumbnail", "preview"] {
            let count = { (folder: String) in
                try runProgram("/usr/bin/sqlite3", [folder + "/thumbnails.sqlite", "SELECT count(*), sum(length(bytes)) FROM rendition WHERE kind = '\(kind)'"]).stdout
            }
            XCTAssertEqual(try count(back), try count(data), kind)
        }

        // Ids were kept: the next photo indexed into PostgreSQL gets a new one after them.
        try scratch.copy(try corpusFiles("content").filter { $0.lastPathComponent == "dk-kite.jpg" }, into: "library")
        let index = try viewfinder(["index", "--no-vision", "--store", url, scratch.path + "/library"])
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertEqual(try viewfinder(["show", "--store", url, scratch.path + "/library/dk-kite.jpg"]).status, 0)
    }

    func testAnInterruptedCopyCarriesOnWhereItStopped() throws {
        let photos = try makeLibrary()
        let url = try TemporaryPostgres.database()
        let whole = try migrate("--from", data, "--to", url)
        // What a kill leaves: the rows of a kind up to some batch, none of the kinds after it; and one rendition
        // missing below the last one copied.
        guard let psql = programPath("psql") else { throw XCTSkip("psql is not installed") }
        let cut = try runProgram(psql, ["-v", "ON_ERROR_STOP=1", "-q", url, "-c", """
            DELETE FROM photo WHERE id > (SELECT min(id) FROM photo); DELETE FROM problem; DELETE FROM job;
            DELETE FROM setting WHERE key NOT IN ('catalogue', 'copiedFrom');
            DELETE FROM rendition WHERE contentHash = (SELECT min(contentHash COLLATE "C") FROM rendition);
            """])
        XCTAssertEqual(cut.status, 0, cut.stderr)
        let left = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try viewfinder(["status", "--json", "--store", url]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual((left["photos"] as? Int ?? 0) + (left["offline"] as? Int ?? 0), 1, "one photo is left of the copy")

        let resumed = try migrate("--from", data, "--to", url)
        XCTAssertEqual(resumed["verified"] as? Bool, true)
        XCTAssertGreaterThan(resumed["copied"] as? Int ?? 0, 0)
        XCTAssertLessThan(resumed["copied"] as? Int ?? 0, whole["copied"] as? Int ?? 0, "what was there is not copied again")
        XCTAssertEqual(resumed["hash"] as? String, whole["hash"] as? String)
        XCTAssertEqual(try everything(["--store", url], photos), try everything(["--data", data], photos))
        let again = try viewfinder(["migrate", "--from", data, "--to", url])
        XCTAssertNotEqual(again.status, 0, "a finished copy may be in use: it is not written into again")
        XCTAssertTrue(again.stderr.contains("finished, verified copy"), again.stderr)
    }

    func testATargetHoldingAnotherLibraryIsRefused() throws {
        _ = try makeLibrary()
        let other = scratch.path + "/other"
        try scratch.copy(try corpusFiles("content").filter { $0.lastPathComponent == "dk-kite.jpg" }, into: "elsewhere")
        XCTAssertEqual(try viewfinder(["index", "--no-vision", "--data", other, scratch.path + "/elsewhere"]).status, 0)
        let refused = try viewfinder(["migrate", "--from", data, "--to", other])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("is not a copy of"), refused.stderr)
        let status = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try viewfinder(["status", "--json", "--data", other]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(status["photos"] as? Int, 1, "the other library is left as it was")
    }
}
