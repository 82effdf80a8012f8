import XCTest
@testable import Media
import ViewfinderCore

/// What MetadataFuzz found in the metadata path, kept as inputs that once trapped.
final class MetadataFuzzRegressionTests: XCTestCase {
    /// An XMP sidecar anyone can write: numbers beyond Int, infinities and NaN are valid Doubles in text.
    static let outlandishSidecar = """
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
        <exif:ISOSpeedRatings><rdf:Seq><rdf:li>1e300</rdf:li></rdf:Seq></exif:ISOSpeedRatings>
        <xmp:Rating>nan</xmp:Rating>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """

    func testAnXMPSidecarWithNumbersBeyondIntIsReadWithoutThem() throws {
        let sidecar = try MetadataReader.read(Array(Self.outlandishSidecar.utf8))
        XCTAssertEqual(sidecar["Xmp.exif.ISOSpeedRatings"], "1e300")
        let metadata = MetadataInterpreter.interpret(embedded: RawMetadata(), sidecar: sidecar, format: .jpeg)
        XCTAssertNil(metadata.iso)
        XCTAssertNil(metadata.rating)
    }

    func testISOAndRatingTakeOnlyWholeNumbersAnIntHolds() {
        for text in ["1e300", "-1e300", "inf", "-inf", "nan", "9223372036854775808", "1e19/1"] {
            var raw = RawMetadata()
            raw.append("Xmp.exif.ISOSpeedRatings", text)
            raw.append("Xmp.xmp.Rating", text)
            let metadata = MetadataInterpreter.interpret(embedded: raw, sidecar: nil, format: .jpeg)
            XCTAssertNil(metadata.iso, text)
            XCTAssertNil(metadata.rating, text)
        }
        var ordinary = RawMetadata()
        ordinary.append("Xmp.exif.ISOSpeedRatings", "400.7")
        ordinary.append("Xmp.xmp.Rating", "4.6")
        let metadata = MetadataInterpreter.interpret(embedded: ordinary, sidecar: nil, format: .jpeg)
        XCTAssertEqual(metadata.iso, 400)
        XCTAssertEqual(metadata.rating, 5)
    }
}
