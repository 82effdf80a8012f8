import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import XCTest

/// Every endpoint on a real (small) library, signed-in access not required (loopback).
final class RouteTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testSearchFindsByFileNameAndSaysWhy() async throws {
        let dog = fixture.id("dk-dog.jpg")
        let version = String(fixture.library.snapshot.photos[dog]!.contentHash.prefix(16))
        try await fixture.test { client in
            let answer = try await client.execute(uri: "/api/search?q=dog", method: .get).json()
            let hits = try XCTUnwrap(answer["hits"] as? [[String: Any]])
            XCTAssertEqual(hits.first?["id"] as? Int64, dog)
            XCTAssertEqual(hits.first?["path"] as? String, "2019/dk-dog.jpg", "paths are relative to the library")
            XCTAssertFalse((hits.first?["why"] as? [String] ?? []).isEmpty)
            XCTAssertNotNil(hits.first?["thumbhash"] as? String)
            XCTAssertEqual(hits.first?["thumb"] as? String, "/thumb/\(dog)?v=" + version)
            // Typed letter by letter: the last word is a prefix.
            let typing = try await client.execute(uri: "/api/search?q=do", method: .get).json()
            XCTAssertTrue((typing["hits"] as? [[String: Any]] ?? []).contains { $0["id"] as? Int64 == dog })
        }
    }

    func testEveryFilterKindAnswersThroughTheAPI() async throws {
        let gps = fixture.id("es-DSCN0025.jpg"), dog = fixture.id("dk-dog.jpg"), canon = fixture.id("es-canon-ixus.jpg"), coffee = fixture.id("ski-coffee.png")
        try await fixture.test { client in
            func ids(_ query: String) async throws -> Set<Int64> {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let answer = try await client.execute(uri: "/api/search?q=\(encoded)&limit=50", method: .get).json()
                return Set((answer["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int64 })
            }
            let hasGPS = try await ids("has:gps")
            XCTAssertTrue(hasGPS.contains(gps))
            XCTAssertFalse(hasGPS.contains(coffee))
            let canonHits = try await ids("make:canon")
            XCTAssertEqual(canonHits, [dog, canon])
            let nikonHits = try await ids("camera:coolpix has:gps")
            XCTAssertEqual(nikonHits, [gps])
            let pngHits = try await ids("type:png")
            XCTAssertEqual(pngHits, [coffee])
            let tripHits = try await ids("folder:\"2020/trip\"")
            XCTAssertEqual(tripHits, [coffee, canon])
            let withoutCoffee = try await ids("-coffee folder:\"2020/trip\"")
            XCTAssertEqual(withoutCoffee, [canon])
        }
    }

    func testUnderstoodFiltersAndFacetsAreReturned() async throws {
        try await fixture.test { client in
            let answer = try await client.execute(uri: "/api/search?q=type:jpeg", method: .get).json()
            XCTAssertEqual((answer["understood"] as? [String: String])?["type"], "jpeg")
            XCTAssertNotNil((answer["facets"] as? [String: Any])?["type"])
        }
    }

    func testAQueryNotUnderstoodIsA400ThatSaysWhat() async throws {
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/search?q=colour:red", method: .get)
            XCTAssertEqual(response.status, .badRequest)
            XCTAssertTrue(try response.json()["error"].map { "\($0)" }?.contains("colour") == true, response.text)
        }
    }

    func testAnEmptyBoxPagesThroughTheLibraryNewestFirst() async throws {
        try await fixture.test { client in
            let first = try await client.execute(uri: "/api/search?q=&limit=3", method: .get).json()
            XCTAssertEqual(first["total"] as? Int, 4)
            XCTAssertEqual((first["hits"] as? [Any])?.count, 3)
            let cursor = try XCTUnwrap(first["cursor"] as? String)
            let second = try await client.execute(uri: "/api/search?q=&limit=3&cursor=\(cursor)", method: .get).json()
            XCTAssertEqual((second["hits"] as? [Any])?.count, 1)
            XCTAssertNil(second["cursor"] as? String)
        }
    }

    func testPhotoDetailHasMetadataExifAndAddresses() async throws {
        let canon = fixture.id("es-canon-ixus.jpg")
        try await fixture.test { client in
            let answer = try await client.execute(uri: "/api/photos/\(canon)", method: .get).json()
            let detail = try XCTUnwrap(answer["detail"] as? [String: Any])
            XCTAssertEqual(detail["make"] as? String, "Canon")
            XCTAssertEqual(detail["path"] as? String, "2020/trip/es-canon-ixus.jpg")
            let exif = try XCTUnwrap(answer["exif"] as? [[String]])
            XCTAssertTrue(exif.contains { $0.first == "Image.Make" && $0.last == "Canon" }, "\(exif.prefix(5))")
            XCTAssertEqual(answer["original"] as? String, "/original/\(canon)")
            let missing = try await client.execute(uri: "/api/photos/999999", method: .get)
            XCTAssertEqual(missing.status, .notFound)
            let similar = try await client.execute(uri: "/api/photos/\(canon)/similar", method: .get).json()
            XCTAssertEqual(similar["message"] as? String, "this photo has no vector yet")
        }
    }

    func testThumbnailsAreCachedByContentHash() async throws {
        let dog = fixture.id("dk-dog.jpg")
        let hash = fixture.library.snapshot.photos[dog]!.contentHash
        try await fixture.test { client in
            let thumb = try await client.execute(uri: "/thumb/\(dog)?v=\(hash.prefix(16))", method: .get)
            XCTAssertEqual(thumb.status, .ok)
            XCTAssertEqual(thumb.headers[.contentType], "image/webp")
            XCTAssertEqual(thumb.headers[.eTag], "\"\(hash)\"")
            XCTAssertTrue(thumb.headers[.cacheControl]?.contains("immutable") == true)
            XCTAssertEqual(thumb.body.getSlice(at: 8, length: 4).map { String(buffer: $0) }, "WEBP")
            let again = try await client.execute(uri: "/thumb/\(dog)", method: .get, headers: [.ifNoneMatch: "\"\(hash)\""])
            XCTAssertEqual(again.status, .notModified)
            let stale = try await client.execute(uri: "/thumb/\(dog)?v=0000", method: .get)
            XCTAssertEqual(stale.headers[.cacheControl], "private, no-cache")
            let preview = try await client.execute(uri: "/preview/\(dog)", method: .get)
            XCTAssertEqual(preview.headers[.contentType], "image/jpeg")
        }
    }

    func testOriginalsAreTheBytesOnDisk() async throws {
        let dog = fixture.id("dk-dog.jpg")
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/2019/dk-dog.jpg"))
        try await fixture.test { client in
            let original = try await client.execute(uri: "/original/\(dog)?download=1", method: .get)
            XCTAssertEqual(Data(buffer: original.body), onDisk)
            XCTAssertEqual(original.headers[.contentType], "image/jpeg", "the type of what the file holds")
            XCTAssertEqual(original.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"dk-dog.jpg\""), true)
        }
    }

    func testTimelineFoldersAndStatus() async throws {
        try await fixture.test { client in
            let timeline = try await client.execute(uri: "/api/timeline", method: .get).json()
            let years = try XCTUnwrap(timeline["years"] as? [[String: Any]])
            let counted = years.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } + (timeline["undated"] as? Int ?? 0)
            XCTAssertEqual(counted, 4)
            XCTAssertEqual(years.map { $0["year"] as? String ?? "" }, years.map { $0["year"] as? String ?? "" }.sorted(by: >))

            let top = try await client.execute(uri: "/api/folders", method: .get).json()
            let folders = try XCTUnwrap(top["folders"] as? [[String: Any]])
            XCTAssertEqual(folders.map { $0["name"] as? String }, ["2019", "2020"])
            XCTAssertEqual(folders.map { $0["count"] as? Int }, [2, 2])
            let trip = try await client.execute(uri: "/api/folders?path=2020/trip", method: .get).json()
            XCTAssertEqual((trip["photos"] as? [Any])?.count, 2)

            let status = try await client.execute(uri: "/api/status", method: .get).json()
            XCTAssertEqual(status["photos"] as? Int, 4)
            XCTAssertEqual(status["offline"] as? Int, 0, "offline photos are reported, none here")
            XCTAssertEqual(status["offlineReasons"] as? [String: Int], [:])
            XCTAssertNotNil(status["indexing"] as? [String: Any])
            let problems = try XCTUnwrap(status["recentProblems"] as? [[String: Any]])
            let broken = try XCTUnwrap(problems.first { $0["path"] as? String == "2019/derived-zero_bytes.jpg" }, "\(problems)")
            XCTAssertEqual(broken["severity"] as? String, "error")
            XCTAssertFalse((broken["reason"] as? String ?? "").isEmpty)
        }
    }

    func testPagesScriptsAndTheAPIDescriptionAreServed() async throws {
        try await fixture.test { client in
            for path in ["/", "/help", "/photo/1", "/timeline", "/folders", "/status", "/login"] {
                let page = try await client.execute(uri: path, method: .get)
                XCTAssertEqual(page.status, .ok, path)
                XCTAssertTrue(page.text.contains("<main id=\"view\""), path)
                XCTAssertNotNil(page.headers[.contentSecurityPolicy])
            }
            let script = try await client.execute(uri: "/assets/app.js", method: .get)
            XCTAssertEqual(script.headers[.contentType], "text/javascript; charset=utf-8")
            let etag = try XCTUnwrap(script.headers[.eTag])
            let cached = try await client.execute(uri: "/assets/app.js", method: .get, headers: [.ifNoneMatch: etag])
            XCTAssertEqual(cached.status, .notModified)
            let openapi = try await client.execute(uri: "/openapi.yaml", method: .get)
            XCTAssertTrue(openapi.text.contains("/api/search"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertEqual(metrics.status, .ok)
        }
    }
}
