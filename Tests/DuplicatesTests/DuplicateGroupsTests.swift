import Catalogue
import Duplicates
import ViewfinderCore
import XCTest

final class DuplicateGroupsTests: XCTestCase {
    func photo(_ path: String, content: String, looks: UInt64?, width: Int = 100, height: Int = 100, format: String = "jpeg",
               make: String? = nil, fileSize: Int64 = 1000, id: Int64 = 1) -> PhotoRecord {
        PhotoRecord(id: id, path: path, fileSize: fileSize, modifiedAt: 0, sidecarModifiedAt: nil, contentHash: content, missing: false,
                    format: format, width: width, height: height, orientation: 1, taken: nil, make: make, model: nil, lens: nil,
                    focalLength: nil, fNumber: nil, exposureTime: nil, iso: nil, lat: nil, lon: nil, alt: nil, rating: nil,
                    description: nil, keywords: "[]", thumbhash: nil, indexedAt: 0, regions: nil,
                    perceptualHash: looks.map { PerceptualHash(bits: $0).stored })
    }

    func testMultiIndexFindsExactlyThePairsEveryPairComparisonFinds() {
        var state: UInt64 = 1
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state ^ (state >> 29) }
        var hashes = [PerceptualHash]()
        for _ in 0..<2_000 {
            let base = next()
            hashes.append(PerceptualHash(bits: base))
            var near = base
            for _ in 0..<(next() % 14) { near ^= 1 << (next() % 64) }
            hashes.append(PerceptualHash(bits: near))
        }
        for distance in [3, 10, 13] {
            var expected = Set<[Int]>()
            for i in hashes.indices { for j in hashes.indices where j > i && hashes[i].distance(to: hashes[j]) <= distance { expected.insert([i, j]) } }
            let found = HashNeighbours(hashes).pairs(within: distance)
            XCTAssertEqual(found.count, expected.count, "each pair once, within \(distance)")
            XCTAssertEqual(Set(found.map { [$0.first, $0.second] }), expected)
            XCTAssert(found.allSatisfy { $0.distance == hashes[$0.first].distance(to: hashes[$0.second]) })
        }
        XCTAssertEqual(Set(HashNeighbours(hashes).neighbours(of: hashes[0], within: 13).map(\.index)),
                       Set(hashes.indices.filter { hashes[$0].distance(to: hashes[0]) <= 13 }))
    }

    func testExactCopiesGroupWithTheMostDescribedOneFirst() {
        let groups = DuplicateGroups.find([
            photo("/lib/b.jpg", content: "aa", looks: 1, id: 1),
            photo("/lib/a.jpg", content: "aa", looks: 1, make: "Canon", id: 2),
            photo("/lib/c.jpg", content: "cc", looks: ~0, id: 3),
        ])
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(groups[0].kind, .exact)
        XCTAssertEqual(groups[0].members.map(\.photo.path), ["/lib/a.jpg", "/lib/b.jpg"])
        XCTAssertEqual(groups[0].members.map(\.distance), [0, 0])
    }

    func testTheBestIsTheLargestThenTheCameraFileThenTheLargerFile() {
        let original: UInt64 = 0x0123_4567_89AB_CDEF
        let groups = DuplicateGroups.find([
            photo("/lib/small.jpg", content: "1", looks: original ^ 0b11, width: 50, height: 50, id: 1),
            photo("/lib/same.png", content: "2", looks: original ^ 0b1, format: "png", make: "Canon", fileSize: 9000, id: 2),
            photo("/lib/q60.jpg", content: "3", looks: original ^ 0b100, make: "Canon", fileSize: 400, id: 3),
            photo("/lib/original.jpg", content: "4", looks: original, make: "Canon", id: 4),
        ])
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(groups[0].kind, .near)
        // Members follow by distance from the best, ties by preference: the JPEG before the PNG of the same size.
        XCTAssertEqual(groups[0].members.map(\.photo.path), ["/lib/original.jpg", "/lib/q60.jpg", "/lib/same.png", "/lib/small.jpg"])
        XCTAssertEqual(groups[0].members.map(\.distance), [0, 1, 1, 2])
    }

    func testAGroupNeverChainsPhotosThatAreNotNearItsBest() {
        // b is near a and near c, but c is not near a: c does not join a's group, and is left alone.
        let a: UInt64 = 0, b: UInt64 = (1 << 8) - 1, c: UInt64 = (1 << 16) - 1
        let groups = DuplicateGroups.find([
            photo("/lib/a.jpg", content: "a", looks: a, width: 300, height: 300, id: 1),
            photo("/lib/b.jpg", content: "b", looks: b, width: 200, height: 200, id: 2),
            photo("/lib/c.jpg", content: "c", looks: c, id: 3),
        ])
        XCTAssertEqual(groups.map { $0.members.map(\.photo.path) }, [["/lib/a.jpg", "/lib/b.jpg"]])
    }

    func testPhotosWithoutAHashAreOnlyExactDuplicates() {
        let groups = DuplicateGroups.find([
            photo("/lib/a.jpg", content: "a", looks: nil, id: 1),
            photo("/lib/b.jpg", content: "b", looks: nil, id: 2),
        ])
        XCTAssertTrue(groups.isEmpty)
    }
}
