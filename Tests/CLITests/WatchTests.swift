import XCTest
import TestSupport

final class WatchTests: CLITestCase {
    func testWatchIndexesAPhotoAddedLater() throws {
        let photos = try corpusFiles("content").filter { ["pil-hopper.jpg", "dk-dog.jpg"].contains($0.lastPathComponent) }
        try scratch.copy([photos[0]], into: "library")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary)
        process.arguments = ["index", "--watch", "--data", data, scratch.path + "/library"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        func indexed(_ name: String, within seconds: Double) throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try viewfinder("show", scratch.path + "/library/" + name).status == 0 { return true }
                Thread.sleep(forTimeInterval: 0.3)
            }
            return false
        }
        XCTAssertTrue(try indexed(photos[0].lastPathComponent, within: 30))
        try scratch.copy([photos[1]], into: "library/new folder")
        XCTAssertTrue(try indexed("new folder/" + photos[1].lastPathComponent, within: 30), "a new folder and its photo were noticed")
    }
}
