import XCTest
import Catalogue
import SQLiteCatalogue
import TestSupport

/// The data folder failing under the commands: a full disk, a damaged catalogue, a backup taken while
/// another process writes, photos kept offline and pruned.
final class DataFolderFaultTests: CLITestCase {
    private func library(_ count: Int = .max) throws -> String {
        let photos = try corpusFiles("content").filter { $0.pathExtension != "tsv" }.prefix(count)
        try scratch.copy(Array(photos), into: "library")
        return scratch.path + "/library"
    }

    private func photos(in folder: String) throws -> [String] {
        let store = try SQLiteStore(path: folder + "/catalogue.sqlite")
        return try store.searchablePhotos().map { "\($0.photo.path) \($0.photo.contentHash)" }.sorted()
    }

    func testAFullDiskStopsWithASentenceDamagesNothingAndARerunCompletes() throws {
        let library = try library()
        let clean = scratch.path + "/clean"
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", clean, library]).status, 0)
        let full = scratch.path + "/full"
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        // A file system far too small for the previews: the run must stop, not mark photos as broken.
        let mounted = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=1200k", "tmpfs", full])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a small tmpfs here (needs root): \(mounted.stderr)") }
        defer { _ = try? runProgram("/bin/umount", [full]) }

        let stopped = try runProgram(try binary, ["index", "--no-vision", "--data", full, library])
        XCTAssertNotEqual(stopped.status, 0, "a full disk is not a completed run")
        XCTAssertTrue(stopped.stderr.contains("is full"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("run the command again"), stopped.stderr)
        // Space again (opening a store needs a little for its shared-memory index).
        XCTAssertEqual(try runProgram("/bin/mount", ["-o", "remount,size=64m", full]).status, 0)
        let store = try SQLiteStore(path: full + "/catalogue.sqlite")
        XCTAssertNil(try store.quickCheck(), "nothing stored was damaged")
        XCTAssertEqual(try store.problems().filter { $0.severity == .error }, [], "no photo was blamed for the full disk")
        XCTAssertGreaterThan(try store.pendingJobCount(nil), 0, "the unfinished work is still queued")
        let rerun = try runProgram(try binary, ["index", "--no-vision", "--data", full, library])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try photos(in: full), try photos(in: clean))
        XCTAssertEqual(try SQLiteStore(path: full + "/catalogue.sqlite").pendingJobCount(.preview), 0)
    }

    func testADamagedCatalogueIsSaidPlainlyAndPointsAtTheBackup() throws {
        XCTAssertEqual(try viewfinder("index", "--no-vision", try library(3)).status, 0)
        let catalogue = data + "/catalogue.sqlite"
        // Checkpoint the WAL into the file, then scribble over its pages after the header.
        _ = try SQLiteStore(path: catalogue).backup(to: scratch.path + "/copy.sqlite")
        try FileManager.default.removeItem(atPath: catalogue)
        try? FileManager.default.removeItem(atPath: catalogue + "-wal")
        try? FileManager.default.removeItem(atPath: catalogue + "-shm")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/copy.sqlite"))
        for offset in stride(from: 100, to: bytes.count, by: 97) { bytes[offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: catalogue))
        let status = try viewfinder("status")
        XCTAssertNotEqual(status.status, 0)
        XCTAssertTrue(status.stderr.contains("is damaged"), status.stderr)
        XCTAssertTrue(status.stderr.contains("viewfinder backup"), status.stderr)
        XCTAssertFalse(status.stderr.contains("SQLite error"), "said in words: \(status.stderr)")
    }

    func testABackupTakenWhileIndexingIsWholeAndRestores() throws {
        let library = try library()
        XCTAssertEqual(try viewfinder("index", "--no-vision", "--no-previews", library).status, 0)
        // Another process writes (previews, then the rest) while the backup copies.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try binary)
        writer.arguments = ["index", "--no-vision", "--data", data, library]
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        let backup = scratch.path + "/backup"
        let made = try XCTUnwrap(try json("backup", "--json", backup) as? [String: Any])
        writer.waitUntilExit()
        XCTAssertEqual(writer.terminationStatus, 0)
        XCTAssertEqual(made["photos"] as? Int, try photos(in: data).count)
        XCTAssertNil(try SQLiteStore(path: backup + "/catalogue.sqlite").quickCheck())
        XCTAssertNil(try SQLiteRenditionStore(path: backup + "/thumbnails.sqlite").quickCheck())
        // Restore: the backup's files into a new data folder; indexing there completes the catalogue.
        let restored = scratch.path + "/restored"
        try FileManager.default.createDirectory(atPath: restored, withIntermediateDirectories: true)
        for file in ["catalogue.sqlite", "thumbnails.sqlite"] {
            try FileManager.default.copyItem(atPath: backup + "/" + file, toPath: restored + "/" + file)
        }
        let rerun = try runProgram(try binary, ["index", "--no-vision", "--data", restored, library])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("0 indexed"), "every photo came back from the backup: \(rerun.stdout)")
        XCTAssertEqual(try photos(in: restored), try photos(in: data))
        XCTAssertNotEqual(try viewfinder("backup", data).status, 0, "the data folder itself is refused")
    }

    func testAnEmptiedRootIsOfflineInStatusAndPruneRemovesIt() throws {
        let library = try library(3)
        XCTAssertEqual(try viewfinder("index", "--no-vision", library).status, 0)
        try FileManager.default.moveItem(atPath: library, toPath: scratch.path + "/away")
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: false)
        let run = try viewfinder("index", "--no-vision", library)
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("nothing removed"), run.stdout)
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["offline"] as? Int, 3)
        XCTAssertEqual(status["photos"] as? Int, 0)
        XCTAssertEqual((status["offlineReasons"] as? [String: Int])?.values.first, 3)
        let pruned = try XCTUnwrap(try json("prune", "--json") as? [String: Int])
        XCTAssertEqual(pruned["removed"], 3)
        XCTAssertEqual((try json("status", "--json") as? [String: Any])?["offline"] as? Int, 0)
    }
}
