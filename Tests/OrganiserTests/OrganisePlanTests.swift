import XCTest
import Organiser
import TestSupport

/// Plans on real photos: every photo once, the best date and its source, and nothing touched.
final class OrganisePlanTests: OrganiserTestCase {
    func testThePlanOfTheCorpusPlacesEveryPhotoOnceAndTouchesNothing() throws {
        try copyCorpus()
        let before = try tree(source)
        let plan = try OrganisePlanner.plan(try request())
        XCTAssertEqual(try tree(source), before, "planning touches nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: into), "nor makes the destination")
        let photos = before.keys.filter { !$0.lowercased().hasSuffix(".xmp") }
        XCTAssertEqual(plan.items.count, photos.count, "every photo is planned once")
        let destinations = plan.items.map(\.destination) + plan.items.flatMap { $0.companions.map(\.destination) }
        XCTAssertEqual(Set(destinations).count, destinations.count, "no two files share a destination")
        let canon = try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/es-Canon_40D.jpg") })
        XCTAssertEqual(canon.date, "2008-05-30T15:56:01")
        XCTAssertEqual(canon.dateSource, .exif)
        XCTAssertEqual(canon.destination, into + "/2008/05/es-Canon_40D.jpg")
        XCTAssertEqual(canon.action, .copy)
        for item in plan.items {
            let month = String(item.date.dropFirst(5).prefix(2)), year = String(item.date.prefix(4))
            XCTAssertTrue(item.destination.hasPrefix("\(into)/\(year)/\(month)/"), "\(item.destination) is filed by its date \(item.date)")
        }
        // A camera that wrote zeros for its date (mei-Issue_609) falls back to the file time.
        let zeros = try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/mei-Issue_609.jpg") })
        XCTAssertEqual(zeros.dateSource, .fileTime)
        XCTAssertEqual(Set(plan.items.map(\.dateSource)).isSuperset(of: [.exif, .fileTime]), true)
    }

    func testDatesInFileNamesAreUsedWhenTheFileHasNone() throws {
        try write("not a photo", to: "source/IMG_20190614_183012.jpg", modified: 1_000_000_000)
        try write("not a photo either", to: "source/IMG-20200102-WA0001.jpg", modified: 1_000_000_000)
        try write("no date anywhere", to: "source/holiday.jpg", modified: 1_000_000_000)
        let plan = try OrganisePlanner.plan(try request())
        let byName = Dictionary(uniqueKeysWithValues: plan.items.map { (URL(fileURLWithPath: $0.source).lastPathComponent, $0) })
        XCTAssertEqual(byName["IMG_20190614_183012.jpg"]?.dateSource, .fileName)
        XCTAssertEqual(byName["IMG_20190614_183012.jpg"]?.destination, into + "/2019/06/IMG_20190614_183012.jpg")
        XCTAssertEqual(byName["IMG-20200102-WA0001.jpg"]?.date, "2020-01-02T00:00:00")
        let undated = try XCTUnwrap(byName["holiday.jpg"])
        XCTAssertEqual(undated.dateSource, .fileTime)
        XCTAssertEqual(undated.date, CaptureDate(fileTime: 1_000_000_000_000_000_000).iso, "the file time, on this machine's clock")
    }

    func testAShiftedCameraMovesOnlyItsOwnPhotos() throws {
        try copyCorpus(["exif/cameras"])
        let plan = try OrganisePlanner.plan(try request(shifts: ["Canon EOS 40D=+9h"]))
        let canon = try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/es-Canon_40D.jpg") })
        XCTAssertEqual(canon.date, "2008-05-31T00:56:01", "15:56 and nine hours is the next day")
        XCTAssertEqual(canon.shift, "+9h")
        XCTAssertEqual(canon.destination, into + "/2008/05/es-Canon_40D.jpg")
        let nikon = try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/es-Nikon_D70.jpg") })
        XCTAssertEqual(nikon.date, "2008-03-15T09:52:01")
        XCTAssertNil(nikon.shift)
    }

    func testPatternFieldsNameTheFolders() throws {
        try copyCorpus(["exif/cameras"])
        let plan = try OrganisePlanner.plan(try request(pattern: "{year}/{year}-{month}-{day} {camera}"))
        let canon = try XCTUnwrap(plan.items.first { $0.source.hasSuffix("/es-Canon_40D.jpg") })
        XCTAssertEqual(canon.destination, into + "/2008/2008-05-30 Canon EOS 40D/es-Canon_40D.jpg")
    }

    func testClashesNeverOverwrite() throws {
        // The same bytes twice, and other bytes under the same name and date, and a file already in the layout.
        try write("one", to: "source/a/IMG_20190614_183012.jpg")
        try write("one", to: "source/b/IMG_20190614_183012.jpg")
        try write("two", to: "source/c/IMG_20190614_183012.jpg")
        try write("already there", to: "sorted/2019/06/IMG_20190614_183012.jpg")
        let plan = try OrganisePlanner.plan(try request())
        XCTAssertEqual(plan.items.map(\.action), [.suffix, .skipDuplicate, .suffix])
        XCTAssertEqual(plan.items.map { URL(fileURLWithPath: $0.destination).lastPathComponent },
                       ["IMG_20190614_183012-1.jpg", "IMG_20190614_183012-1.jpg", "IMG_20190614_183012-2.jpg"])
        let outcome = try Organiser.apply(try request())
        XCTAssertEqual(outcome.transferred, 2)
        XCTAssertEqual(try String(contentsOfFile: into + "/2019/06/IMG_20190614_183012.jpg", encoding: .utf8), "already there")
        XCTAssertEqual(try String(contentsOfFile: into + "/2019/06/IMG_20190614_183012-1.jpg", encoding: .utf8), "one")
        XCTAssertEqual(try String(contentsOfFile: into + "/2019/06/IMG_20190614_183012-2.jpg", encoding: .utf8), "two")
        // Run again: everything is a duplicate of itself now, and a run with nothing to do leaves no journal.
        XCTAssertEqual(try OrganisePlanner.plan(try request()).items.map(\.action), [.skipDuplicate, .skipDuplicate, .skipDuplicate])
        XCTAssertNil(try Organiser.apply(try request()).journal)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: into + "/.viewfinder-organise").count, 1)
    }
}
