import XCTest
@testable import Organiser

final class FileNameDateTests: XCTestCase {
    func testPhoneAndAppNamesGiveTheirDates() {
        let cases = [
            "IMG_20190614_183012.jpg": "2019-06-14T18:30:12",
            "VID_20200102_030405.mp4": "2020-01-02T03:04:05",
            "PXL_20230101_101500123.jpg": "2023-01-01T10:15:00",
            "Screenshot_20190614-183012.png": "2019-06-14T18:30:12",
            "Screenshot 2019-06-14 at 18.30.12.png": "2019-06-14T18:30:12",
            "IMG-20190614-WA0001.jpg": "2019-06-14T00:00:00",
            "20211231_235959.jpg": "2021-12-31T23:59:59",
        ]
        for (name, date) in cases { XCTAssertEqual(FileNameDate.date(in: name)?.iso, date, name) }
    }

    func testNumbersThatAreNoDatesGiveNone() {
        for name in ["IMG_1234.JPG", "DSC00042.ARW", "120190614.jpg", "IMG_20191332_101010.jpg", "photo.jpg", "2019.jpg"] {
            XCTAssertNil(FileNameDate.date(in: name), name)
        }
    }

    func testShiftsCrossDaysAndKeepTheOffset() throws {
        let date = try XCTUnwrap(CaptureDate(iso: "2019-12-31T23:30:00+01:00"))
        XCTAssertEqual(date.shifted(by: 3600).iso, "2020-01-01T00:30:00+01:00")
        XCTAssertEqual(date.shifted(by: -86_400).iso, "2019-12-30T23:30:00+01:00")
    }

    func testCameraShiftsParseAndMatch() throws {
        let shift = try CameraShift(parsing: "Canon EOS 5D=+1h30m")
        XCTAssertEqual(shift.seconds, 5400)
        XCTAssertTrue(shift.matches(make: "Canon", model: "Canon EOS 5D"))
        XCTAssertTrue(try CameraShift(parsing: "NIKON CORPORATION NIKON D90=-2d").matches(make: "NIKON CORPORATION", model: "NIKON D90"))
        XCTAssertFalse(shift.matches(make: "Canon", model: "Canon EOS 50D"))
        XCTAssertEqual(try CameraShift(parsing: "x=-2d").seconds, -172_800)
        for wrong in ["Canon", "=+1h", "Canon=+1", "Canon=1x", "Canon=+h"] {
            XCTAssertThrowsError(try CameraShift(parsing: wrong), wrong)
        }
    }

    func testPatternsCheckTheirFieldsAndNameFolders() throws {
        XCTAssertEqual(try LayoutPattern("{year}/{month}").text, "{year}/{month}/{name}.{ext}")
        XCTAssertEqual(try LayoutPattern("{year}/{name}.{ext}").text, "{year}/{name}.{ext}")
        XCTAssertThrowsError(try LayoutPattern("{year}/{weekday}"))
        XCTAssertThrowsError(try LayoutPattern("../{year}"))
        let path = try LayoutPattern("{year}/{camera}/{day}-{name}.{ext}").path(
            name: "IMG_1", ext: "JPG", date: CaptureDate(year: 2019, month: 6, day: 4), camera: "Canon/EOS", place: nil)
        XCTAssertEqual(path, "2019/Canon-EOS/04-IMG_1.JPG")
    }
}
