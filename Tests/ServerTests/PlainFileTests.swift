import Foundation
@testable import Server
import TestSupport
import ViewfinderCore
import XCTest

final class PlainFileTests: XCTestCase {
    /// A Latin-1 name from an old share: the catalogue's text for it leads back to the very bytes, and the file opens.
    func testANameThatIsNotUTF8OpensByItsBytes() throws {
        let scratch = try ScratchFolder("plain")
        defer { scratch.remove() }
        // As realpath gives it: the scratch folder may lie behind a link.
        let folder = URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath().path
        let name = Array((folder + "/caf").utf8) + [0xE9] + Array(".jpg".utf8)
        let made = (name + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        XCTAssertGreaterThanOrEqual(made, 0)
        XCTAssertEqual(write(made, "photo bytes", 11), 11)
        close(made)
        let file = try XCTUnwrap(PlainFile(FileSystemPath.string(name)))
        XCTAssertEqual(file.size, 11)
        XCTAssertEqual(try file.read(at: 0, count: 5), Array("photo".utf8))
        XCTAssertNil(PlainFile(folder + "/caf\u{FFFD}.jpg"), "the repaired name is another file, which does not exist")
    }
}

