import XCTest
@testable import Media
import ViewfinderCore

final class MetadataInterpreterTests: XCTestCase {
    private func raw(_ pairs: [(String, String)]) -> RawMetadata {
        var metadata = RawMetadata()
        for (key, value) in pairs { metadata.append(key, value) }
        return metadata
    }

    func testDescriptionFollowsTheMetadataWorkingGroupOrder() {
        let all = raw([("Exif.Image.ImageDescription", "from EXIF"), ("Iptc.Application2.Caption", "from IPTC"),
                       ("Xmp.dc.description", "from XMP")])
        XCTAssertEqual(MetadataInterpreter.interpret(embedded: all, sidecar: nil, format: .jpeg).description, "from EXIF")
        let noExif = raw([("Iptc.Application2.Caption", "from IPTC"), ("Xmp.dc.description", "from XMP")])
        XCTAssertEqual(MetadataInterpreter.interpret(embedded: noExif, sidecar: nil, format: .jpeg).description, "from IPTC")
        let placeholder = raw([("Exif.Image.ImageDescription", "OLYMPUS DIGITAL CAMERA         "),
                               ("Xmp.dc.description", "Harbour at dawn")])
        XCTAssertEqual(MetadataInterpreter.interpret(embedded: placeholder, sidecar: nil, format: .jpeg).description,
                       "Harbour at dawn", "a camera's own placeholder says nothing about the picture")
    }

    func testSidecarWinsForWhatPeopleWrite() {
        let embedded = raw([("Exif.Image.ImageDescription", "old"), ("Xmp.dc.subject", "a"), ("Exif.Image.Make", "Canon"),
                            ("Xmp.xmp.Rating", "2")])
        let sidecar = raw([("Xmp.dc.description", "new"), ("Xmp.dc.subject", "beach"), ("Xmp.dc.subject", "sunset, evening"),
                           ("Xmp.xmp.Rating", "5")])
        let metadata = MetadataInterpreter.interpret(embedded: embedded, sidecar: sidecar, format: .jpeg)
        XCTAssertEqual(metadata.description, "new")
        XCTAssertEqual(metadata.keywords, ["beach", "sunset, evening"], "commas inside one keyword survive")
        XCTAssertEqual(metadata.rating, 5)
        XCTAssertEqual(metadata.make, "Canon", "technical fields still come from the photo")
    }

    func testKeywordsPreferXMPOverIPTCAndDropDuplicates() {
        let both = raw([("Iptc.Application2.Keywords", "iptc"), ("Xmp.dc.subject", "cat"), ("Xmp.dc.subject", "cat"),
                        ("Xmp.dc.subject", "sofa")])
        XCTAssertEqual(MetadataInterpreter.interpret(embedded: both, sidecar: nil, format: .jpeg).keywords, ["cat", "sofa"])
        let iptc = raw([("Iptc.Application2.Keywords", "harbour"), ("Iptc.Application2.Keywords", "boat")])
        XCTAssertEqual(MetadataInterpreter.interpret(embedded: iptc, sidecar: nil, format: .jpeg).keywords, ["harbour", "boat"])
    }

    func testCameraSettingsAndPosition() {
        let metadata = MetadataInterpreter.interpret(embedded: raw([
            ("Exif.Image.Make", "NIKON CORPORATION\0\0"), ("Exif.Image.Model", " NIKON D70 "),
            ("Exif.Photo.FNumber", "28/10"), ("Exif.Photo.ExposureTime", "1/250"), ("Exif.Photo.FocalLength", "500/10"),
            ("Exif.Photo.ISOSpeedRatings", "200 200"), ("Exif.Image.Orientation", "9"),
            ("Exif.GPSInfo.GPSLatitude", "43/1 28/1 281/100"), ("Exif.GPSInfo.GPSLatitudeRef", "N"),
            ("Exif.GPSInfo.GPSLongitude", "11/1 53/1 645/100"), ("Exif.GPSInfo.GPSLongitudeRef", "E"),
            ("Exif.GPSInfo.GPSAltitude", "12/1"), ("Exif.GPSInfo.GPSAltitudeRef", "1"),
            ("Exif.Photo.DateTimeOriginal", "2008:10:22 16:29:49"), ("Exif.Photo.OffsetTimeOriginal", "+02:00"),
        ]), sidecar: nil, format: .jpeg)
        XCTAssertEqual(metadata.make, "NIKON CORPORATION")
        XCTAssertEqual(metadata.model, "NIKON D70")
        XCTAssertEqual(metadata.fNumber, 2.8)
        XCTAssertEqual(metadata.exposureTime, 0.004)
        XCTAssertEqual(metadata.focalLength, 50)
        XCTAssertEqual(metadata.iso, 200)
        XCTAssertEqual(metadata.orientation, 1, "an out-of-range orientation means upright")
        XCTAssertEqual(metadata.gps!.lat, 43.46744722, accuracy: 1e-6)
        XCTAssertEqual(metadata.gps!.lon, 11.88512500, accuracy: 1e-6)
        XCTAssertEqual(metadata.gps!.alt, -12, "altitude reference 1 is below sea level")
        XCTAssertEqual(metadata.taken, "2008-10-22T16:29:49+02:00")
    }

    func testUnreadableExifPositionFallsBackToXMP() {
        let metadata = MetadataInterpreter.interpret(embedded: raw([
            ("Exif.GPSInfo.GPSLatitude", ""), ("Exif.GPSInfo.GPSLatitudeRef", "N"),
            ("Xmp.exif.GPSLatitude", "48,53.3235822N"), ("Xmp.exif.GPSLongitude", "21,2.5950700E"),
            ("Xmp.exif.GPSAltitude", "324145/1000"),
        ]), sidecar: nil, format: .jpeg)
        XCTAssertEqual(metadata.gps!.lat, 48.888726, accuracy: 1e-6)
        XCTAssertEqual(metadata.gps!.alt!, 324.145, accuracy: 1e-9)
    }
}
