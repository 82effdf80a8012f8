import Foundation
import TestSupport
import Vision
import XCTest

final class WorkerLocatorTests: XCTestCase {
    /// A folder a user downloaded may carry its own `.venv/bin/python`: running Viewfinder there must not run it.
    func testTheCurrentFoldersVenvIsNeverRun() throws {
        let scratch = try ScratchFolder("locator")
        defer { scratch.remove() }
        let planted = scratch.path + "/.venv/bin/python"
        try FileManager.default.createDirectory(atPath: scratch.path + "/.venv/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/worker/viewfinder_worker", withIntermediateDirectories: true)
        try "#!/bin/sh\necho planted\n".write(toFile: planted, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: planted)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        // A program installed where no checkout lies above it.
        XCTAssertNil(WorkerLocator.command(environment: [:], executable: "/usr/local/bin/viewfinder"))
        // Built in a checkout: that checkout's venv.
        try FileManager.default.createDirectory(atPath: scratch.path + "/.build/debug", withIntermediateDirectories: true)
        XCTAssertEqual(WorkerLocator.command(environment: [:], executable: scratch.path + "/.build/debug/viewfinder"),
                       [planted, "-m", "viewfinder_worker"])
        XCTAssertEqual(WorkerLocator.command(environment: ["VIEWFINDER_WORKER_COMMAND": "python3 -m x"]), ["python3", "-m", "x"])
    }
}
