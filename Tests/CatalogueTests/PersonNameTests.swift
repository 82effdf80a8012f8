import Catalogue
import XCTest

/// What the CLI and the API keep as a person's name.
final class PersonNameTests: XCTestCase {
    func testANameIsTrimmedAndAnEmptyOneUnnames() throws {
        XCTAssertEqual(try PersonRecord.name(from: "  Ada Lovelace \n"), "Ada Lovelace")
        XCTAssertEqual(try PersonRecord.name(from: #"Dwayne "The Rock" Johnson"#), #"Dwayne "The Rock" Johnson"#)
        XCTAssertNil(try PersonRecord.name(from: "   "))
        XCTAssertNil(try PersonRecord.name(from: nil))
    }

    func testANameSearchCouldNeverFindOrTooLongIsRefusedInWords() {
        for (typed, reason) in [("🙂🙂", "no letter or digit"), ("?!", "no letter or digit"),
                                (String(repeating: "a", count: PersonRecord.longestName + 1), "at most 200")] {
            XCTAssertThrowsError(try PersonRecord.name(from: typed)) { XCTAssertTrue("\($0)".contains(reason), "\($0)") }
        }
        XCTAssertNoThrow(try PersonRecord.name(from: String(repeating: "a", count: PersonRecord.longestName)))
    }
}
