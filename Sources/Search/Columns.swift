import Foundation

/// The values filters and facets read, one array per field, indexed by photo number.
struct Columns: Sendable {
    let ids: [Int64]
    let paths: [String]
    let captions: [String]
    let folders: [String]
    let names: [String]
    let make: [String]
    let model: [String]
    let lens: [String]
    let city: [String]
    let region: [String]
    let country: [String]
    let taken: [String]
    /// Capture time as YYYYMMDDhhmmss (0: unknown), for date filters without string compares.
    let takenKeys: [UInt64]
    let iso: [Float]
    let aperture: [Float]
    let focal: [Float]
    let latitude: [Float]
    let longitude: [Float]
    let format: [String]
    let orientation: [String]
    let rating: [Int8]
    let faces: [UInt8]
    let hasText: [Bool]
    let topLabels: [[String]]
    /// Capture time as a sortable number, for ties and for queries without words.
    let recency: [UInt32]

    init(_ documents: [SearchDocument]) {
        func folded(_ value: String?) -> String { value.map(Folding.fold) ?? "" }
        ids = documents.map(\.id)
        paths = documents.map(\.path)
        captions = documents.map(\.caption)
        folders = documents.map { document in
            document.path.lastIndex(of: "/").map { Folding.fold(String(document.path[..<$0])) } ?? ""
        }
        names = documents.map { Folding.fold(($0.path as NSString).lastPathComponent) }
        make = documents.map { folded($0.make) }
        model = documents.map { folded($0.model) }
        lens = documents.map { folded($0.lens) }
        city = documents.map { folded($0.city) }
        region = documents.map { folded($0.region) }
        country = documents.map { folded($0.country) }
        taken = documents.map { $0.taken ?? "" }
        takenKeys = taken.map { $0.isEmpty ? 0 : Self.timeKey($0) }
        iso = documents.map { $0.iso.map(Float.init) ?? .nan }
        aperture = documents.map { $0.fNumber.map(Float.init) ?? .nan }
        focal = documents.map { $0.focalLength.map(Float.init) ?? .nan }
        latitude = documents.map { $0.latitude.map(Float.init) ?? .nan }
        longitude = documents.map { $0.longitude.map(Float.init) ?? .nan }
        format = documents.map(\.format)
        orientation = documents.map { $0.width == $0.height ? "square" : $0.width > $0.height ? "landscape" : "portrait" }
        rating = documents.map { Int8(clamping: $0.rating ?? -1) }
        faces = documents.map { UInt8(clamping: $0.faces) }
        hasText = documents.map { !$0.text.isEmpty }
        topLabels = documents.map { $0.labels.filter { $0.score >= 0.3 }.prefix(8).map { Folding.fold($0.name) } }
        recency = documents.map { Self.recency($0.taken) }
    }

    var count: Int { ids.count }

    /// YYYYMMDDhh fits a UInt32; photos without a date sort last.
    static func recency(_ taken: String?) -> UInt32 {
        guard let taken, !taken.isEmpty else { return 0 }
        return UInt32(timeKey(taken) / 10_000)
    }

    /// "2019", "2019-06", "2019-06-02T18:00:00" as YYYYMMDDhhmmss, missing parts zero.
    static func timeKey(_ text: String) -> UInt64 {
        var key: UInt64 = 0
        var digits = 0
        for byte in text.utf8 where byte >= 48 && byte <= 57 && digits < 14 {
            key = key * 10 + UInt64(byte - 48)
            digits += 1
        }
        while digits < 14 {
            key *= 10
            digits += 1
        }
        return key
    }
}
