import Foundation
import TestSupport
import XCTest

/// `viewfinder search` on real corpus photos: every filter against what the files' metadata says.
final class SearchCommandTests: CLITestCase {
    func hits(_ query: String) throws -> (total: Int, names: Set<String>, result: [String: Any]) {
        let result = try XCTUnwrap(try json("search", "--json", "--no-semantic", "--limit", "100", query) as? [String: Any])
        let hits = try XCTUnwrap(result["hits"] as? [[String: Any]])
        return (result["total"] as? Int ?? -1, Set(hits.compactMap { ($0["path"] as? String)?.split(separator: "/").last.map(String.init) }),
                result)
    }

    func testEveryFilterOnRealPhotos() throws {
        let gps = try corpusFiles("exif/gps"), formats = try corpusFiles("exif/formats")
        try scratch.copy(gps, into: "library/gps")
        try scratch.copy(formats, into: "library/formats")
        XCTAssertEqual(try viewfinder("index", "--no-vision", scratch.path + "/library").status, 0)
        let nikonGPS: Set = ["es-DSCN0010.jpg", "es-DSCN0012.jpg", "es-DSCN0021.jpg", "es-DSCN0025.jpg", "es-DSCN0027.jpg",
                             "es-DSCN0029.jpg"]
        let expectations: [(String, (Set<String>) -> Bool)] = [
            ("camera:coolpix", { $0 == nikonGPS }),
            ("make:apple", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("year:2008", { $0 == nikonGPS }),
            ("taken:2008-10-22", { $0.isSubset(of: nikonGPS) && !$0.isEmpty }),
            ("after:2021 make:apple", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("before:2009 type:jpeg has:gps", { $0 == nikonGPS }),
            ("near:43.4674,11.8851,1km", { $0.contains("es-DSCN0010.jpg") && $0.isSubset(of: nikonGPS) }),
            ("type:heic", { $0 == ["es-iphone_13_pro_max.HEIC", "mei-cheers_1440x960.heic"] }),
            ("type:png", { !$0.isEmpty && $0.allSatisfy { $0.lowercased().hasSuffix(".png") } }),
            ("orientation:portrait make:apple", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("folder:gps", { $0.isSuperset(of: nikonGPS) }),
            ("name:es-DSCN00?0.jpg", { $0 == ["es-DSCN0010.jpg"] }),
            ("iso:200-400 make:apple", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("mm:5-6 camera:coolpix", { !$0.isEmpty && $0.isSubset(of: nikonGPS) }),
            ("f:1-2 make:apple", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("has:gps -dscn0010", { !$0.contains("es-DSCN0010.jpg") && $0.contains("es-DSCN0012.jpg") }),
            ("dscn", { $0 == nikonGPS }),
            ("iphone", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
            ("iphnoe", { $0 == ["es-iphone_13_pro_max.HEIC"] }),
        ]
        for (query, expected) in expectations {
            let found = try hits(query)
            XCTAssertTrue(expected(found.names), "\(query): \(found.names.sorted())")
        }
        let bad = try viewfinder("search", "colour:red")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("unknown filter 'colour:'"), bad.stderr)
        let nothing = try hits("giraffe")
        XCTAssertEqual(nothing.total, 0)
        XCTAssertNotNil(nothing.result["message"] as? String)
    }

    func testDescriptionsAreSearchableWithPlacesFacesAndWhy() throws {
        let models = Corpus.packageRoot.appendingPathComponent("models/.complete").path
        guard FileManager.default.fileExists(atPath: models) else { throw XCTSkip("the bundled models are not exported (run scripts/setup.sh)") }
        let content = try corpusFiles("content").filter {
            ["ski-chelsea.png", "ski-page.png", "ski-astronaut.png", "es-IMG_5195.HEIC", "ski-coffee.png"].contains($0.lastPathComponent)
        }
        try scratch.copy(content, into: "library")
        XCTAssertEqual(try viewfinder("index", scratch.path + "/library").status, 0)
        XCTAssertEqual(try hits("label:cat").names, ["ski-chelsea.png"])
        XCTAssertEqual(try hits("text:segmentation").names, ["ski-page.png"])
        XCTAssertEqual(try hits("has:text").names, ["ski-page.png"])
        XCTAssertEqual(try hits("faces:1").names, ["ski-astronaut.png"])
        XCTAssertEqual(try hits("has:faces").names, ["ski-astronaut.png"])
        XCTAssertEqual(try hits("city:\"blue springs\"").names, ["es-IMG_5195.HEIC"])
        XCTAssertEqual(try hits("country:\"united states\"").names, ["es-IMG_5195.HEIC"])
        XCTAssertEqual(try hits("missouri").names, ["es-IMG_5195.HEIC"])
        XCTAssertEqual(try hits("has:caption").total, 5)
        let cat = try hits("espreso")
        XCTAssertEqual(cat.names, ["ski-coffee.png"])
        let why = try XCTUnwrap(((cat.result["hits"] as? [[String: Any]])?.first?["why"] as? [String])?.first)
        XCTAssertTrue(why.contains("espreso → espresso") && why.contains("typo"), why)
        let facets = try XCTUnwrap(try hits("has:caption").result["facets"] as? [String: [String: Int]])
        XCTAssertEqual(facets["type"]?["png"], 4)
    }
}
