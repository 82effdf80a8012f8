/// Facet values as small integers per photo: counting a result is array increments, not string hashing
/// (which cost milliseconds on 50,000 matches).
struct FacetColumns: Sendable {
    /// One field's distinct values and each photo's value number (-1: none).
    struct Field: Sendable {
        var names: [String] = []
        var codes: [Int32] = []
        var numbers: [String: Int32] = [:]
        /// The code each value code of the column this field is read from has here (-2: not looked up yet): each
        /// distinct value is looked up once, not once a photo.
        var byColumnCode: [Int32] = []

        mutating func append(_ value: String) {
            codes.append(Self.code(value, &names, &numbers))
        }

        mutating func append(_ column: CodedColumn, _ row: Int) {
            codes.append(Self.code(column, row, &names, &numbers, &byColumnCode))
        }

        static func code(_ column: CodedColumn, _ row: Int, _ names: inout [String], _ numbers: inout [String: Int32],
                         _ byColumnCode: inout [Int32]) -> Int32 {
            let value = Int(column.codes[row])
            if value >= byColumnCode.count { byColumnCode += repeatElement(-2, count: value + 1 - byColumnCode.count) }
            if byColumnCode[value] == -2 { byColumnCode[value] = code(column.names[value], &names, &numbers) }
            return byColumnCode[value]
        }

        static func code(_ value: String, _ names: inout [String], _ numbers: inout [String: Int32]) -> Int32 {
            guard !value.isEmpty else { return -1 }
            if let known = numbers[value] { return known }
            numbers[value] = Int32(names.count)
            names.append(value)
            return Int32(names.count - 1)
        }
    }

    var year = Field()
    var camera = Field()
    var place = Field()
    var type = Field()
    /// Year codes by the first four bytes of an ASCII capture time.
    var yearByDigits: [UInt32: Int32] = [:]

    init(_ columns: Columns) {
        for document in 0..<columns.count { append(columns, document) }
    }

    /// The facet values of photo `document`, the next number here.
    mutating func append(_ columns: Columns, _ document: Int) {
        appendYear(columns.taken, document)
        camera.append(columns.model, document)
        place.append(columns.city, document)
        type.append(columns.format, document)
    }

    /// The first four characters of the capture time ("" when shorter); an ASCII time's looked up by its bytes.
    private mutating func appendYear(_ taken: TextColumn, _ document: Int) {
        let range = taken.range(document), start = range.lowerBound, end = range.upperBound
        let digits: UInt32? = taken.bytes.withUnsafeBufferPointer { bytes in
            guard end - start >= 4, bytes[start..<end].allSatisfy({ $0 < 0x80 }) else { return nil }
            return (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[start + $1]) }
        }
        guard let digits else {
            let text = taken[document]
            return year.append(text.count >= 4 ? String(text.prefix(4)) : "")
        }
        if let known = yearByDigits[digits] { return year.codes.append(known) }
        year.append(String(decoding: taken.bytes[start..<start + 4], as: UTF8.self))
        yearByDigits[digits] = year.codes[year.codes.count - 1]
    }

    var memoryBytes: Int { year.codes.count * 4 * 4 }

    /// - Parameters:
    ///   - labels: the photos' best labels (`Columns.topLabels`), counted by their own codes (one per distinct
    ///     word): a second copy of a million photos' labels in facet codes cost 25 MiB.
    ///   - people: the photos' people (`Columns.people`), whose codes are likewise one per distinct name.
    func counts(_ matched: ArraySlice<Int>, labels: WordListColumn, people: WordListColumn) -> [String: [String: Int]] {
        var personCounts = [Int32](repeating: 0, count: people.words.names.count)
        var years = [Int32](repeating: 0, count: year.names.count), cameras = [Int32](repeating: 0, count: camera.names.count),
            places = [Int32](repeating: 0, count: place.names.count), types = [Int32](repeating: 0, count: type.names.count),
            labelCounts = [Int32](repeating: 0, count: labels.words.names.count)
        func add(_ field: Field, _ counts: inout [Int32], _ document: Int) {
            let code = field.codes[document]
            if code >= 0 { counts[Int(code)] += 1 }
        }
        for document in matched {
            add(year, &years, document)
            add(camera, &cameras, document)
            add(place, &places, document)
            add(type, &types, document)
            for index in labels.starts[document]..<labels.starts[document + 1] { labelCounts[Int(labels.words.codes[index])] += 1 }
            for index in people.starts[document]..<people.starts[document + 1] { personCounts[Int(people.words.codes[index])] += 1 }
        }
        func top(_ counts: [Int32], _ names: [String], _ count: Int) -> [String: Int] {
            let found = counts.indices.filter { counts[$0] > 0 && !names[$0].isEmpty }
                .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : names[$0] < names[$1] }
            return Dictionary(uniqueKeysWithValues: found.prefix(count).map { (names[$0], Int(counts[$0])) })
        }
        return ["year": top(years, year.names, 50), "camera": top(cameras, camera.names, 10), "place": top(places, place.names, 10),
                "label": top(labelCounts, labels.words.names, 15), "type": top(types, type.names, 10),
                "person": top(personCounts, people.words.names, 20)]
    }
}
