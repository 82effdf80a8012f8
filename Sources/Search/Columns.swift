import Foundation

/// The values filters and facets read, one array per field, indexed by photo number.
struct Columns: Sendable {
    var ids: [Int64] = []
    var paths = TextColumn()
    var captions = TextColumn()
    var folders = CodedColumn()
    var names = TextColumn()
    var make = CodedColumn()
    var model = CodedColumn()
    var lens = CodedColumn()
    var city = CodedColumn()
    var region = CodedColumn()
    var country = CodedColumn()
    var taken = TextColumn()
    /// Capture time as YYYYMMDDhhmmss (0: unknown), for date filters without string compares.
    var takenKeys: [UInt64] = []
    var iso: [Float] = []
    var aperture: [Float] = []
    var focal: [Float] = []
    var latitude: [Float] = []
    var longitude: [Float] = []
    var format = CodedColumn()
    var orientation = CodedColumn()
    var rating: [Int8] = []
    var faces: [UInt8] = []
    var hasText: [Bool] = []
    var topLabels = WordListColumn()
    /// Capture time as a sortable number, for ties and for queries without words.
    var recency: [UInt32] = []

    init(_ documents: [SearchDocument]) {
        for document in documents { append(document) }
    }

    /// A photo's values as the next photo number's.
    mutating func append(_ document: SearchDocument) {
        func folded(_ value: String?) -> String { value.map(Folding.fold) ?? "" }
        ids.append(document.id)
        paths.append(document.path)
        captions.append(document.caption)
        folders.append(document.path.lastIndex(of: "/").map { Folding.fold(String(document.path[..<$0])) } ?? "")
        // A photo's path never ends in "/": the name is what follows the last one (NSString's way was a third of the columns).
        names.append(Folding.fold(document.path.lastIndex(of: "/").map { String(document.path[document.path.index(after: $0)...]) } ?? document.path))
        make.append(folded(document.make))
        model.append(folded(document.model))
        lens.append(folded(document.lens))
        city.append(folded(document.city))
        region.append(folded(document.region))
        country.append(folded(document.country))
        taken.append(document.taken ?? "")
        takenKeys.append(document.taken.map { $0.isEmpty ? 0 : Self.timeKey($0) } ?? 0)
        iso.append(document.iso.map(Float.init) ?? .nan)
        aperture.append(document.fNumber.map(Float.init) ?? .nan)
        focal.append(document.focalLength.map(Float.init) ?? .nan)
        latitude.append(document.latitude.map(Float.init) ?? .nan)
        longitude.append(document.longitude.map(Float.init) ?? .nan)
        format.append(document.format)
        orientation.append(document.width == document.height ? "square" : document.width > document.height ? "landscape" : "portrait")
        rating.append(Int8(clamping: document.rating ?? -1))
        faces.append(UInt8(clamping: document.faces))
        hasText.append(!document.text.isEmpty)
        topLabels.append(document.labels.filter { $0.score >= 0.3 }.prefix(8).map { Folding.fold($0.name) })
        recency.append(Self.recency(document.taken))
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
