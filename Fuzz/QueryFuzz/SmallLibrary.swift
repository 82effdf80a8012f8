import Search

/// A hand-made library of a few photos covering every filter's field, with vectors, so each query path has
/// something to match, rank, page and explain.
enum SmallLibrary {
    static let documents: [SearchDocument] = [
        SearchDocument(id: 1, path: "2019/2019-07 Lisbon/IMG_0001.JPG", caption: "A tabby cat sleeping on the sofa",
                       labels: [("cat", 0.9), ("sofa", 0.6)], city: "Lisbon", region: "Lisboa", country: "Portugal",
                       make: "Canon", model: "Canon EOS 400D DIGITAL", lens: "EF 50mm f/1.8", taken: "2019-07-14T18:30:00",
                       iso: 200, fNumber: 2.8, focalLength: 35, latitude: 38.72, longitude: -9.14, width: 4000, height: 3000,
                       rating: 4),
        SearchDocument(id: 2, path: "2021/2021-06 Zürich/PXL_20210602_101010.jpg", caption: "A red car parked by the lake",
                       labels: [("car", 0.9), ("red", 0.7)], text: "PARKING ONLY", city: "Zürich", country: "Switzerland",
                       make: "Google", model: "Pixel 6", taken: "2021-06-02T10:10:10+02:00", iso: 800, fNumber: 1.9,
                       focalLength: 26, latitude: 47.37, longitude: 8.54, width: 3000, height: 4000, rating: -1, faces: 2),
        SearchDocument(id: 3, path: "2021/2021-06 Zürich/IMG_0042.HEIC", caption: "Three people on the beach",
                       labels: [("person", 1), ("beach", 0.8)], city: "New York", country: "United States",
                       make: "Apple", model: "iPhone 12", taken: "2021-06-20T08:00:00", iso: 50, format: "heic",
                       width: 4032, height: 3024, faces: 3),
        SearchDocument(id: 4, path: "scans/old car.png", caption: "", format: "png", width: 1000, height: 1000),
        SearchDocument(id: Int64.max, path: "ünïcödé/名前 \u{0}.webp", caption: "日本の猫 🐈", text: "مرحبا",
                       taken: "1800-01-01T00:00:00", iso: Int.max, fNumber: 0, focalLength: -1, latitude: -90,
                       longitude: 180, format: "webp", width: 0, height: 0, rating: 5, faces: Int.max),
    ]

    /// One model's vectors, and the query vector that finds every photo by meaning.
    static let model = "all-MiniLM-L6-v2"
    static let queryVector = [Float](repeating: 0.25, count: 16)
    static let vectors = VectorIndex(model: model, vectors: documents.indices.map { row in
        row == 3 ? nil : (0..<16).map { Float(($0 + row) % 5) / 5 }
    })

    static let engine = SearchEngine(documents: documents, vectors: [vectors])
}
