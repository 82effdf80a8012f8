import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import Server
import XCTest

/// Originals streamed a chunk at a time, with byte ranges; the photo page's EXIF read bounded.
final class OriginalTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    /// The dog's file replaced by bytes spanning several chunks (the route serves what is on disk now).
    private func largeOriginal() throws -> (id: Int64, bytes: Data) {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<(PictureRoutes.chunkBytes * 3 + 17)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = fixture.root + "/2019/dk-dog.jpg"
        try FileManager.default.removeItem(atPath: path)
        try bytes.write(to: URL(fileURLWithPath: path))
        return (fixture.id("dk-dog.jpg"), bytes)
    }

    func testAnOriginalLargerThanAChunkArrivesWhole() async throws {
        let (id, bytes) = try largeOriginal()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/original/\(id)", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.acceptRanges], "bytes")
            XCTAssertEqual(response.headers[.contentLength], String(bytes.count))
            XCTAssertEqual(Data(buffer: response.body), bytes)
        }
    }

    func testRangesAnswerWithTheirPartOrA416() async throws {
        let (id, bytes) = try largeOriginal()
        let size = bytes.count, chunk = PictureRoutes.chunkBytes
        let path = try XCTUnwrap(fixture.library.snapshot.photos[id]?.absolutePath)
        try await fixture.test { client in
            func get(_ range: String, ifRange: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.range: range]
                if let ifRange { headers[.ifRange] = ifRange }
                return try await client.execute(uri: "/original/\(id)", method: .get, headers: headers)
            }
            let first = try await get("bytes=0-0")
            let etag = try XCTUnwrap(first.headers[.eTag])
            let parts: [(String, Range<Int>)] = [
                ("bytes=0-99", 0..<100), ("bytes=\(chunk - 5)-\(chunk + 5)", (chunk - 5)..<(chunk + 6)),
                ("bytes=-10", (size - 10)..<size), ("bytes=\(size - 3)-", (size - 3)..<size), ("bytes=5-999999999", 5..<size),
            ]
            for (range, expected) in parts {
                let response = try await get(range)
                XCTAssertEqual(response.status, .partialContent, range)
                XCTAssertEqual(response.headers[.contentRange], "bytes \(expected.lowerBound)-\(expected.upperBound - 1)/\(size)", range)
                XCTAssertEqual(Data(buffer: response.body), bytes[expected], range)
            }
            for range in ["bytes=\(size)-", "bytes=-0"] {
                let beyond = try await get(range)
                XCTAssertEqual(beyond.status, .rangeNotSatisfiable, range)
                XCTAssertEqual(beyond.headers[.contentRange], "bytes */\(size)", range)
            }
            // Not honoured (several spans, nonsense, another version): the whole file.
            for (range, ifRange) in [("bytes=0-1,5-6", nil), ("bytes=abc", nil), ("bytes=+1-2", nil), ("bytes=0-9", "\"old\""), ("bytes=0-9", etag)] {
                let response = try await get(range, ifRange: ifRange)
                let honoured = ifRange == etag
                XCTAssertEqual(response.status, honoured ? .partialContent : .ok, range)
                XCTAssertEqual(response.body.readableBytes, honoured ? 10 : size, range)
            }
            // The file changed since that ETag was given: resuming with it gets the whole new file, never a splice.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_500_000_000)], ofItemAtPath: path)
            let resumed = try await get("bytes=0-9", ifRange: etag)
            XCTAssertEqual(resumed.status, .ok)
            XCTAssertNotEqual(resumed.headers[.eTag], etag)
        }
    }

    func testTheExifTableReadsNoMoreThanItsBound() throws {
        let path = fixture.root + "/2020/trip/es-canon-ixus.jpg"
        let full = ExifTable.read(path)
        XCTAssertTrue(full.contains { $0.first == "Image.Make" }, "\(full.prefix(3))")
        // The first 64 bytes hold the start of the EXIF segment only, not its values.
        XCTAssertFalse(ExifTable.read(path, byteLimit: 64).contains { $0.first == "Image.Make" })
    }

    func testTheExifTableIsNotReadThroughASymbolicLink() throws {
        let photo = fixture.root + "/2020/trip/es-canon-ixus.jpg"
        let moved = fixture.scratch.path + "/elsewhere.jpg"
        try FileManager.default.moveItem(atPath: photo, toPath: moved)
        try FileManager.default.createSymbolicLink(atPath: photo, withDestinationPath: moved)
        XCTAssertEqual(ExifTable.read(photo).count, 0)
        XCTAssertFalse(ExifTable.read(moved).isEmpty)
    }
}
