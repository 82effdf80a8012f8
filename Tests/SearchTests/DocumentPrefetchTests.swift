import XCTest

@testable import Search

final class DocumentPrefetchTests: XCTestCase {
    /// The build's prefetch reads the addresses of a photo's texts and labels out of its value: a long text's word
    /// names its storage object (its bytes lie 32 past the start), the labels' names their array's; a short text kept
    /// inline, an empty one and a missing one name none.
    func testTheWordsReadNameTheTextsAndLabelsObjects() {
        // Made at run time: a literal would be an immortal string, without an object of its own.
        let long = String(repeating: "Winter lake at dawn ", count: 3)
        var document = SearchDocument(id: 1, path: "2019/" + long + ".jpg", caption: long,
                                      labels: [(name: "lake", score: 0.9), (name: "ice", score: 0.5)], text: "",
                                      model: "EOS " + "R5", taken: long + "!")
        let storage = { (text: String) -> UInt in
            var text = text
            return text.withUTF8 { UInt(bitPattern: $0.baseAddress) - 32 }
        }
        let labels = document.labels.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) - 32 }
        let words = SearchDocument.objectWords
        withUnsafePointer(to: &document) { pointer in
            let objects = words.map { SearchDocument.object(pointer, $0) }
            XCTAssertEqual(objects, [storage(pointer.pointee.path), storage(pointer.pointee.caption), nil,
                                     storage(pointer.pointee.taken!), nil, labels])
            SearchDocument.prefetch(pointer)
        }
        document.taken = nil
        withUnsafePointer(to: &document) { XCTAssertNil(SearchDocument.object($0, words[3])) }
    }
}
