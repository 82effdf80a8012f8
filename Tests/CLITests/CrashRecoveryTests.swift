import XCTest
import Catalogue
import SQLiteCatalogue
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

    /// Equal line lists; a failure names only the lines that differ, since whole lists run past what CI keeps.
    private func assertSameLines(_ actual: [String], _ expected: [String], _ what: String, line: UInt = #line) {
        guard actual != expected else { return }
        let extra = actual.filter { !expected.contains($0) }, missing = expected.filter { !actual.contains($0) }
        XCTFail("\(what) differ from a clean run's (\(actual.count) against \(expected.count)); only here: \(extra); only in the clean run: \(missing)", line: line)
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
        assertSameLines(actual.photos, expected.photos, "photos")
        assertSameLines(actual.problems, expected.problems, "problems")
        let renditions = try SQLiteRenditionStore(path: crashed + "/thumbnails.sqlite")
        for hash in actual.hashes {
            XCTAssertTrue(try renditions.contains(hash: hash, kind: .thumbnail), hash)
            XCTAssertTrue(try renditions.contains(hash: hash, kind: .preview), hash)
        }
    }

    func testSeveralProcessesOnOneCatalogueWithKillsEndAsOneCleanRun() throws {
        let files = try corpusFiles("content") + corpusFiles("exif/cameras") + corpusFiles("malformed")
        try scratch.copy(files.filter { $0.pathExtension != "tsv" }, into: "library")
        let library = scratch.path + "/library"
        let clean = scratch.path + "/clean", shared = scratch.path + "/shared"
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", clean, library]).status, 0)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<3 {
            // Three at once on one data folder, as index, index --watch and serve would be; one is killed.
            let processes = try (0..<3).map { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: try binary)
                process.arguments = ["index", "--no-vision", "--data", shared, library]
                process.standardOutput = FileHandle.nullDevice
                let errors = Pipe()
                process.standardError = errors
                try process.run()
                return (process, errors)
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...1.5, using: &generator))
            if processes[0].0.isRunning {
                kill(processes[0].0.processIdentifier, SIGKILL)
                kills += 1
            }
            for (process, errors) in processes {
                let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process !== processes[0].0 { XCTAssertEqual(process.terminationStatus, 0, said) }
            }
        }
        XCTAssertGreaterThan(kills, 0)
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", shared, library]).status, 0)
        let expected = try catalogue(clean), actual = try catalogue(shared)
        XCTAssertEqual(actual.pending, expected.pending, "only describe jobs wait (the models were off)")
        assertSameLines(actual.photos, expected.photos, "photos")
        assertSameLines(actual.problems, expected.problems, "problems")
        XCTAssertEqual(try SQLiteStore(path: shared + "/catalogue.sqlite").claimOwners(), [], "every claim was released or taken back")
    }

    /// The job ids the crash guard wrote into a data folder's crash logs.
    private func blamed(in folder: String) -> [String] {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("crashed-jobs.") }
        return logs.flatMap { name in
            ((try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    /// Sends a signal to one thread, as a fault in that thread's code would raise it there.
    private func signal(_ number: Int32, thread: Int32, of process: Int32) throws {
        typealias ThreadKill = @convention(c) (Int32, Int32, Int32) -> Int32
        let symbol = try XCTUnwrap(dlsym(nil, "tgkill"), "glibc's tgkill")  // nil is RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: ThreadKill.self)(process, thread, number)
    }

    /// The indexing threads of a running process (named vf-index-N).
    private func indexingThreads(of process: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task")) ?? []
        return tasks.compactMap { task in
            let name = (try? String(contentsOfFile: "/proc/\(process)/task/\(task)/comm", encoding: .utf8)) ?? ""
            return name.hasPrefix("vf-index-") ? Int32(task) : nil
        }
    }

    func testAFatalSignalIsBlamedOnlyOnTheJobOfTheThreadItHit() throws {
        let photos = try corpusFiles("content") + corpusFiles("exif/cameras")
        try scratch.copy(photos.filter { $0.pathExtension != "tsv" }, into: "library")
        let library = scratch.path + "/library"
        let clean = scratch.path + "/clean", crashed = scratch.path + "/crashed"
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", clean, library]).status, 0)
        /// A fresh run, once its indexing threads are up (nil if it ended first).
        func started() throws -> (process: Process, threads: [Int32])? {
            try? FileManager.default.removeItem(atPath: crashed)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = ["index", "--no-vision", "--no-previews", "--data", crashed, library]
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<500 where process.isRunning {
                let threads = indexingThreads(of: process.processIdentifier)
                if !threads.isEmpty { return (process, threads) }
                Thread.sleep(forTimeInterval: 0.01)
            }
            process.waitUntilExit()
            return nil
        }
        // A crash outside the indexing threads (here the main thread; in `serve`, a request) blames no photo.
        var outside = 0
        for _ in 0..<3 {
            guard let (process, _) = try started() else { continue }
            Thread.sleep(forTimeInterval: 0.2)  // the threads are holding jobs by now
            try signal(SIGSEGV, thread: process.processIdentifier, of: process.processIdentifier)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(blamed(in: crashed), [], "no photo is blamed for a crash on a thread that held none")
            outside += 1
        }
        XCTAssertGreaterThan(outside, 0, "a crash landed while indexing threads were running")
        // On an indexing thread, the one job it held is blamed (an idle thread holds none: try again).
        var hit = [String]()
        for delay in [0.2, 0.3, 0.5, 0.1, 0.4, 0.6, 0.25, 0.35] where hit.isEmpty {
            guard let (process, threads) = try started() else { continue }
            Thread.sleep(forTimeInterval: delay)
            try signal(SIGSEGV, thread: threads[0], of: process.processIdentifier)
            process.waitUntilExit()
            hit = blamed(in: crashed)
        }
        XCTAssertEqual(hit.count, 1, "exactly the job of the thread that crashed: \(hit)")
        XCTAssertEqual(try runProgram(try binary, ["index", "--no-vision", "--data", crashed, library]).status, 0)
        let expected = try catalogue(clean), actual = try catalogue(crashed)
        XCTAssertEqual(actual.photos, expected.photos, "the suspect ran alone, passed, and was indexed")
        XCTAssertEqual(actual.problems, expected.problems)
        XCTAssertEqual(blamed(in: crashed), [], "the dead process's log was read and cleared")
    }
}
