import XCTest
@testable import Media

final class ExifValueTests: XCTestCase {
    func testRationals() {
        XCTAssertEqual(ExifValue.numbers("28/10"), [2.8])
        XCTAssertEqual(ExifValue.numbers("51/1 30/1 1234/100"), [51, 30, 12.34])
        XCTAssertEqual(ExifValue.numbers("1/0"), [], "a zero denominator means unknown")
        XCTAssertEqual(ExifValue.numbers("-1/3").first!, -1.0 / 3, accuracy: 1e-12)
    }

    func testExifDatesKeepTheirOffsetAndRejectPlaceholders() {
        XCTAssertEqual(ExifValue.dateTime("2008:05:08 14:08:47", offset: "+02:00"), "2008-05-08T14:08:47+02:00")
        XCTAssertEqual(ExifValue.dateTime("2008:05:08 14:08:47", offset: nil), "2008-05-08T14:08:47")
        XCTAssertNil(ExifValue.dateTime("0000:00:00 00:00:00", offset: nil))
        XCTAssertNil(ExifValue.dateTime("    :  :     :  :  ", offset: nil))
        XCTAssertEqual(ExifValue.dateTime("2019:07:14 18:34:12\0", offset: "-0530"), "2019-07-14T18:34:12-05:30")
    }

    func testXMPAndIPTCDates() {
        XCTAssertEqual(ExifValue.isoDateTime("2019-07-14T18:34:12+02:00"), "2019-07-14T18:34:12+02:00")
        XCTAssertEqual(ExifValue.isoDateTime("2019-07-14"), "2019-07-14T00:00:00")
        XCTAssertEqual(ExifValue.isoDateTime("2019-07-14T18:34"), "2019-07-14T18:34:00")
        XCTAssertEqual(ExifValue.isoDateTime("20190714T183412+0200"), "2019-07-14T18:34:12+02:00")
        XCTAssertNil(ExifValue.isoDateTime("not a date"))
    }

    func testCoordinates() {
        XCTAssertEqual(ExifValue.degrees("51/1 30/1 0/1", reference: "S")!, -51.5, accuracy: 1e-9)
        XCTAssertEqual(ExifValue.degrees("0/1 7/1 3960/100", reference: "W")!, -(7.0 / 60 + 39.6 / 3600), accuracy: 1e-9)
        XCTAssertNil(ExifValue.degrees("", reference: "N"))
        XCTAssertEqual(ExifValue.xmpDegrees("48,53.3235822N")!, 48 + 53.3235822 / 60, accuracy: 1e-9)
        XCTAssertEqual(ExifValue.xmpDegrees("21,2.5951E")!, 21 + 2.5951 / 60, accuracy: 1e-9)
    }
}
