import ViewfinderCore
import XCTest

final class FileSystemPathTests: XCTestCase {
    func testUTF8NamesAreThemselves() {
        for name in ["/photos/IMG_0001.JPG", "/home/ana/Imágenes/día 1/写真.jpg", "/a b/\"quoted\"\nnew line.jpg", ""] {
            XCTAssertEqual(FileSystemPath.string(Array(name.utf8)), name)
            XCTAssertEqual(FileSystemPath.bytes(name), Array(name.utf8))
            XCTAssertFalse(FileSystemPath.isEscaped(name))
        }
    }

    func testLatin1BytesAreKeptExactly() {
        let latin1: [UInt8] = Array("/share/caf".utf8) + [0xE9] + Array(".jpg".utf8)
        let text = FileSystemPath.string(latin1)
        XCTAssertTrue(FileSystemPath.isEscaped(text))
        XCTAssertTrue(text.hasPrefix("/share/caf"), text)
        XCTAssertEqual(FileSystemPath.bytes(text), latin1)
    }

    func testAnyBytesRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        // Names that really hold the escape code points, truncated sequences, overlongs, surrogates.
        var samples: [[UInt8]] = [Array("x\u{10FF80}y\u{10FFFF}".utf8), [0xF4, 0x8F, 0xBE], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
                                  [0xF4, 0x90, 0x80, 0x80], [0xFF, 0xFE]]
        for _ in 0..<5_000 {
            samples.append((0..<Int.random(in: 1...24, using: &generator)).map { _ in UInt8.random(in: 1...255, using: &generator) })
        }
        for bytes in samples {
            let text = FileSystemPath.string(bytes)
            XCTAssertEqual(FileSystemPath.bytes(text), bytes, "\(bytes)")
            FileSystemPath.withCString(text) { pointer in
                XCTAssertEqual(Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                         count: bytes.count)), bytes)
            }
        }
    }
}
