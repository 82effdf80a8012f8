import XCTest
import TestSupport

/// `viewfinder organise` as a person runs it: the plan's JSON, and kill -9 at any moment of an apply.
final class OrganiseCommandTests: CLITestCase {
    /// The corpus's photos in their own folders below `folder`.
    private func library(_ folder: String) throws -> String {
        for name in ["content", "exif/cameras", "exif/orientation", "malformed"] {
            try scratch.copy(try corpusFiles(name).filter { $0.pathExtension != "tsv" }, into: folder + "/" + name)
        }
        return scratch.path + "/" + folder
    }

    /// Relative path → bytes and modification time of every file below `root`, hidden ones too (a half copy
    /// left behind would show), the journal folder left out.
    private func tree(_ root: String) throws -> [String: String] {
        var files = [String: String]()
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [:] }
        for case let relative as String in walk where !relative.hasPrefix(".viewfinder-organise") {
            var info = stat()
            guard stat(root + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))
            files[relative] = "\(bytes.base64EncodedString()) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return files
    }

    /// Runs the command again and again, each killed at a random moment, until `times` kills or one run ends by
    /// itself; returns the kills.
    private func killRepeatedly(_ arguments: [String], times: Int, within longest: Double) throws -> Int {
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while kills < times {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try binary)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.01...longest, using: &generator))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            kills += 1
            process.waitUntilExit()
        }
        print("killed \(kills) runs of \(arguments.prefix(2).joined(separator: " ")) before the last")
        return kills
    }

    func testThePlanIsJSONAndTouchesNothing() throws {
        let source = try library("photos")
        let before = try tree(source)
        let plan = try XCTUnwrap(try json("organise", source, "--into", scratch.path + "/sorted", "--json") as? [String: Any])
        XCTAssertEqual(Set(plan.keys), ["into", "mode", "pattern", "items", "problems"])
        XCTAssertEqual(plan["mode"] as? String, "copy")
        let items = try XCTUnwrap(plan["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, before.count)
        for item in items {
            XCTAssertTrue(Set(item.keys).isSuperset(of: ["source", "destination", "date", "dateSource", "action", "companions",
                                                          "changes", "notChanged"]), "\(item.keys)")
        }
        // What --fix-dates and --upright would do is in the plan, and nothing is done without --apply.
        let edits = try XCTUnwrap(try json("organise", source, "--into", scratch.path + "/sorted", "--json", "--fix-dates", "--upright")
            as? [String: Any])
        let changes = try XCTUnwrap(edits["items"] as? [[String: Any]]).flatMap { $0["changes"] as? [String] ?? [] }
        XCTAssertTrue(changes.contains("turned 90°") && changes.contains("date written"), "\(changes)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path + "/sorted"))
        XCTAssertEqual(try tree(source), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path + "/sorted"))
        let table = try viewfinder("organise", source, "--into", scratch.path + "/sorted")
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("Nothing was done: add --apply"), table.stdout)
        let wrong = try viewfinder("organise", source, "--into", scratch.path + "/sorted", "--shift-camera", "Canon=+1")
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("needs a unit"), wrong.stderr)
    }

    /// With --fix-dates and --upright, so edited copies and the originals kept for undo are crashed into too.
    func testKilledAppliesFinishToTheSameLayoutAndUndoPutsEverythingBack() throws {
        let cleanSource = try library("clean"), crashedSource = try library("crashed")
        // The same file times in both, so the dates --fix-dates writes from them are the same.
        for folder in [cleanSource, crashedSource] {
            for case let relative as String in FileManager.default.enumerator(atPath: folder)! {
                try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_560_000_000)],
                                                      ofItemAtPath: folder + "/" + relative)
            }
        }
        let original = try tree(crashedSource)
        let cleanInto = scratch.path + "/clean-sorted", crashedInto = scratch.path + "/crashed-sorted"
        let edits = ["--fix-dates", "--upright"]
        let clean = try viewfinder("organise", cleanSource, "--into", cleanInto, "--move", "--apply", edits[0], edits[1])
        XCTAssertEqual(clean.status, 0, clean.stderr)

        // Planning takes about a second (jpegtran tries each turn), editing a photo a tenth: kills land in both.
        let kills = try killRepeatedly(["organise", crashedSource, "--into", crashedInto, "--move", "--apply"] + edits, times: 12, within: 3)
        let last = try viewfinder("organise", crashedSource, "--into", crashedInto, "--move", "--apply", edits[0], edits[1])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertGreaterThanOrEqual(kills, 3)
        let expected = try tree(cleanInto), actual = try tree(crashedInto)
        XCTAssertEqual(actual.count, expected.count)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys), "the same layout as a run never killed")
        for (path, file) in expected where actual[path].map({ $0.prefix(while: { $0 != " " }) }) != file.prefix(while: { $0 != " " }) {
            XCTFail("\(path) differs from the uninterrupted run's")
        }
        XCTAssertEqual(try tree(crashedSource), [:], "every photo was moved, none is left in two places")
        XCTAssertTrue(clean.stdout.contains("turned 90°") && clean.stdout.contains("date written"), "the edits were made")

        // One journal holds the killed runs and the last; undoing it (killed too, then run again) puts every
        // byte and time back.
        let journals = try FileManager.default.contentsOfDirectory(atPath: crashedInto + "/.viewfinder-organise").filter { $0.hasSuffix(".jsonl") }
        XCTAssertEqual(journals.count, 1, "\(journals)")
        let journal = crashedInto + "/.viewfinder-organise/" + journals[0]
        XCTAssertGreaterThanOrEqual(try killRepeatedly(["organise", "--undo", journal], times: 8, within: 0.15), 1)
        let undo = try viewfinder("organise", "--undo", journal, "--json")
        XCTAssertEqual(undo.status, 0, undo.stderr)
        let after = try tree(crashedSource)
        XCTAssertEqual(Set(after.keys), Set(original.keys))
        for (path, file) in original where after[path] != file { XCTFail("\(path) is not as it was before organising") }
        XCTAssertEqual(try tree(crashedInto), [:])
    }
}
