import XCTest
import Store
import TestSupport

/// kill -9 at any moment, run again, and the catalogue equals a clean run's: nothing lost, nothing twice.
final class CrashRecoveryTests: CLITestCase {
    private func catalogue(_ folder: String) throws -> (photos: [String], problems: [String], pending: Int, hashes: Set<String>) {
        let store = try SQLiteStore(path: folder + "/catalogue.sqlite")
        let status = try store.status()
        var photos = [String]()
        var hashes = Set<String>()
        for (path, _) in try store.knownFiles(under: scratch.path + "/library") {
            guard let photo = try store.photo(atPath: path) else { continue }
            let m = photo.metadata
            photos.append("\(path) \(photo.contentHash) \(m.width)x\(m.height) \(m.taken ?? "-") \(m.make ?? "-") \(m.keywords)")
            hashes.insert(photo.contentHash)
        }
        let problems = try store.problems().map { "\($0.path) \($0.stage) \($0.severity) \($0.reason)" }
        return (photos.sorted(), problems.sorted(), status.pendingJobs.values.reduce(0, +), hashes)
    }

    func testKilledRunsCompleteToTheSameCatalogue() throws {
        let files = try corpusFiles("content") + corpusFiles("exif/cameras") + corpusFiles("malformed")
        try scratch.copy(files.filter { $0.pathExtension != "tsv" }, into: "library")
        let library = scratch.path + "/library"
        let clean = scratch.path + "/clean", crashed = scratch.path + "/crashed"
        XCTAssertEqual(try runProgram(try binary, ["index", "--data", clean, library]).status, 0)

        var generator = SystemRandomNumberGenerator()
        var kills = 0
        var runs = 0
        // Kill runs at random moments (start-up, scan, thumbnails, previews) until one finishes by itself.
        while runs < 15 {
            runs += 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = ["index", "--data", crashed, library]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.6, using: &generator))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            kills += 1
            process.waitUntilExit()
        }
        XCTAssertEqual(try runProgram(try binary, ["index", "--data", crashed, library]).status, 0)
        print("killed \(kills) of \(runs) runs before the final one")
        XCTAssertGreaterThanOrEqual(kills, 3)

        let expected = try catalogue(clean), actual = try catalogue(crashed)
        XCTAssertEqual(actual.pending, 0)
        XCTAssertEqual(actual.photos, expected.photos)
        XCTAssertEqual(actual.problems, expected.problems)
        let renditions = try SQLiteRenditionStore(path: crashed + "/thumbnails.sqlite")
        for hash in actual.hashes {
            XCTAssertTrue(try renditions.contains(hash: hash, kind: .thumbnail), hash)
            XCTAssertTrue(try renditions.contains(hash: hash, kind: .preview), hash)
        }
    }

    func testAFatalSignalIsBlamedOnlyOnTheJobsInFlight() throws {
        let photos = try corpusFiles("content") + corpusFiles("exif/cameras")
        try scratch.copy(photos.filter { $0.pathExtension != "tsv" }, into: "library")
        let library = scratch.path + "/library"
        let clean = scratch.path + "/clean", crashed = scratch.path + "/crashed"
        XCTAssertEqual(try runProgram(try binary, ["index", "--data", clean, library]).status, 0)
        var blamed = [String]()
        // Several tries: a signal during start-up or the scan finds no job in flight and names none.
        for delay in [0.5, 0.8, 1.1, 1.4, 1.7, 2.0, 2.5] where blamed.isEmpty {
            try? FileManager.default.removeItem(atPath: crashed)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = ["index", "--data", crashed, library]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            guard process.isRunning else { continue }
            kill(process.processIdentifier, SIGSEGV)  // as a decoder bug would
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            blamed = ((try? String(contentsOfFile: crashed + "/crashed-jobs", encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }
        XCTAssertFalse(blamed.isEmpty, "the crash guard named the jobs in flight")
        XCTAssertLessThanOrEqual(blamed.count, ProcessInfo.processInfo.activeProcessorCount)
        XCTAssertEqual(try runProgram(try binary, ["index", "--data", crashed, library]).status, 0)
        let expected = try catalogue(clean), actual = try catalogue(crashed)
        XCTAssertEqual(actual.photos, expected.photos, "suspects ran alone, passed, and were indexed")
        XCTAssertEqual(actual.problems, expected.problems)
    }
}
