import Foundation
import Indexer
import ViewfinderCore
import Vision
import XCTest

/// Named regions find the detected faces they cover: the best overlap wins, each face and region once.
final class RegionFacesTests: XCTestCase {
    func faces(_ boxes: [(Double, Double, Double, Double)]) throws -> [PhotoDescription.Face] {
        let json = boxes.map { "{\"x\":\($0.0),\"y\":\($0.1),\"w\":\($0.2),\"h\":\($0.3),\"score\":0.9}" }.joined(separator: ",")
        return try JSONDecoder().decode([PhotoDescription.Face].self, from: Data("[\(json)]".utf8))
    }

    func testEachRegionNamesTheFaceItOverlapsMost() throws {
        let detected = try faces([(0.10, 0.10, 0.20, 0.20), (0.15, 0.12, 0.20, 0.20), (0.70, 0.50, 0.10, 0.10)])
        let regions = [NamedRegion(name: "Ada", x: 0.14, y: 0.12, w: 0.20, h: 0.21),   // both first faces; the second more
                       NamedRegion(name: "Grace", x: 0.09, y: 0.10, w: 0.20, h: 0.20), // the first, left to it
                       NamedRegion(name: "Alan", x: 0.40, y: 0.40, w: 0.10, h: 0.10)]  // no face there
        let matched = RegionFaces.match(regions, to: detected)
        XCTAssertEqual(matched.names, ["Grace", "Ada", nil])
        XCTAssertEqual(matched.unmatched.map(\.name), ["Alan"])
    }

    func testABoxOverlappingLessThanAThirdIsAnotherFace() throws {
        // 0.1 × 0.2 shared over a union of 0.06 (a third) names the face; 0.09 × 0.2 over 0.062 (0.29) does not.
        let detected = try faces([(0.0, 0.0, 0.2, 0.2)])
        XCTAssertEqual(RegionFaces.match([NamedRegion(name: "Ada", x: 0.1, y: 0.0, w: 0.2, h: 0.2)], to: detected).names, ["Ada"])
        XCTAssertEqual(RegionFaces.match([NamedRegion(name: "Ada", x: 0.11, y: 0.0, w: 0.2, h: 0.2)], to: detected).names, [nil])
    }
}
