import XCTest

@testable import Search

final class DocumentPrefetchTests: XCTestCase {
    /// The build's prefetch reads the addresses of a photo's texts and lists out of its value: a long text's word
    /// names its storage object (its bytes lie 32 past the start), the labels' their array's; a short text kept
    /// inline, an empty one, a literal and a missing one name none.
    func testTheWordsReadNameTheTextsAndListsObjects() {
        // Made at run time: a literal is an immortal string, without an object of its own.
        let long = String(repeating: "Winter lake at dawn ", count: 3)
        var document = SearchDocument(id: 1, path: "2019/" + long + ".jpg", caption: "A literal caption of forty-odd bytes",
                                      labels: [(name: "lake", score: 0.9), (name: "ice", score: 0.5)], text: "",
                                      make: "NIKON " + "CORPORATION", model: "EOS " + "R5", taken: long + "!")
        let storage = { (text: String) -> UInt in
            var text = text
            return text.withUTF8 { UInt(bitPattern: $0.baseAddress) - 32 }
        }
        let word = { (field: PartialKeyPath<SearchDocument>, onward: Int) in
            MemoryLayout<SearchDocument>.offset(of: field)! + onward
        }
        withUnsafePointer(to: &document) { pointer in
            let object = { SearchDocument.object(pointer, $0) }
            XCTAssertEqual(object(word(\.path, 8)), storage(pointer.pointee.path))
            XCTAssertEqual(object(word(\.make, 8)), storage(pointer.pointee.make!))
            XCTAssertEqual(object(word(\.taken, 8)), storage(pointer.pointee.taken!))
            let labels = pointer.pointee.labels.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) - 32 }
            XCTAssertEqual(object(word(\.labels, 0)), labels)
            XCTAssertNil(object(word(\.caption, 8)), "a literal")
            XCTAssertNil(object(word(\.text, 8)), "an empty text")
            XCTAssertNil(object(word(\.model, 8)), "a short text, kept inline")
            XCTAssertNil(object(word(\.lens, 8)), "a missing text")
            let checked = [word(\.path, 8), word(\.make, 8), word(\.taken, 8), word(\.labels, 0)]
            XCTAssertEqual(Set(SearchDocument.objectWords).intersection(checked).count, 4, "the checked words are prefetched")
            SearchDocument.prefetch(pointer)
        }
    }
}
