/// Saving the engine as it stands (tails, added words and absent photos included) and loading it back by copying
/// arrays: nothing is tokenised, sorted or rebuilt at start-up.
extension SearchEngine {
    /// 3: photos' people (names, count) in the columns and the `person` field in the word index; 4: vector rows
    /// kept once, in a list per neighbourhood; 5: videos' lengths; 6: each photo's stack hint; 7: facets count
    /// the best labels' own codes (no second copy); 8: each photo's perceptual hash (near-frame bursts); 9: text
    /// columns' ends counted per block of rows, photo numbers in 4 bytes; 10: the stacks. (The file's own layout,
    /// a checksum per section since VFSNAP02, is `SnapshotWriter`'s.)
    static let formatVersion = 10

    /// Waits for vectors still arriving (a file without them would lose them); throws when they never will.
    public func save(_ file: inout SnapshotWriter) throws {
        try arrival.wait()
        lock.lockRead()
        defer { lock.unlock() }
        try file.array("engine.version", [Self.formatVersion])
        try index.save(&file)
        try columns.save(&file)
        try facetColumns.save(&file)
        try file.strings("places", parser.places.sorted())
        try numbers.save(&file, "numbers")
        try stacks.save(&file)
        // The vectors last: a load may answer before it reads them.
        try file.strings("vectors.models", vectors.keys.sorted())
        for model in vectors.keys.sorted() {
            let vectorIndex = vectors[model]!
            try file.array("vectors.dimensions", [vectorIndex.dimensions])
            try file.array("vectors.photos", [vectorIndex.count])
            // The neighbourhoods' centres (none below the size that learns them) and their lists of rows, as kept.
            try file.array("vectors.centres", vectorIndex.neighbourhoods?.centres ?? [])
            try file.array("vectors.starts", vectorIndex.lists.reduce(into: [0]) { $0.append($0.last! + $1.count) })
            try file.arrays("vectors.rows.photos", vectorIndex.lists.map(\.photos))
            try file.arrays("vectors.rows.scales", vectorIndex.lists.map(\.scales))
            try file.arrays("vectors.rows.values", vectorIndex.lists.map(\.values))
        }
    }

    /// Loads a saved engine whole, its vectors included.
    public convenience init(_ file: inout SnapshotReader) throws {
        try self.init(withoutVectors: &file)
        try readVectors(&file)
    }

    /// Loads all but the vectors, and leaves `file` at them for `readVectors`: the engine answers by words meanwhile.
    public convenience init(withoutVectors file: inout SnapshotReader) throws {
        guard try file.array("engine.version", of: Int.self) == [Self.formatVersion] else {
            throw SnapshotError(description: "the saved engine is of another version")
        }
        let index = try TextIndex(&file)
        let columns = try Columns(&file)
        let facetColumns = try FacetColumns(&file)
        let places = Set(try file.strings("places"))
        let numbers = try NumbersByID(&file, "numbers", below: columns.count)
        let stacks = try Stacks(&file, columns) { index.isPresent($0) }
        let models = try file.strings("vectors.models")
        guard index.documentCount == columns.count, facetColumns.year.codes.count == columns.count else {
            throw SnapshotError(description: "the saved engine's parts disagree on how many photos it holds")
        }
        self.init(index: index, columns: columns, facetColumns: facetColumns, arriving: ArrivingVectors(models: models, photos: columns.count),
                  places: places, numbers: numbers, stacks: stacks)
    }

    /// The vector indexes of `models`, read from where `init(withoutVectors:)` left the file.
    static func vectors(_ file: inout SnapshotReader, models: [String], photos: Int) throws -> [VectorIndex] {
        try models.map { model in
            let dimensions = try file.array("vectors.dimensions", of: Int.self).first ?? 0
            let count = try file.array("vectors.photos", of: Int.self).first ?? -1
            guard (1...65_536).contains(dimensions), (0...photos).contains(count) else {
                throw SnapshotError(description: "the saved engine's \(model) vectors are damaged")
            }
            let centres = try file.array("vectors.centres", of: Float.self), starts = try file.array("vectors.starts", of: Int.self)
            let rowPhotos = try file.arrays("vectors.rows.photos", splitAt: starts, of: UInt32.self)
            let scales = try file.arrays("vectors.rows.scales", splitAt: starts, of: Float.self)
            let values = try file.arrays("vectors.rows.values", splitAt: starts.map { $0 &* dimensions }, of: Int8.self)
            let lists = (0..<rowPhotos.count).map { RowList(dimensions: dimensions, values: values[$0], scales: scales[$0], photos: rowPhotos[$0]) }
            guard let vectorIndex = VectorIndex(model: model, dimensions: dimensions, count: count, lists: lists, centres: centres) else {
                throw SnapshotError(description: "the saved engine's \(model) neighbourhoods are damaged")
            }
            return vectorIndex
        }
    }
}

extension TextIndex {
    func save(_ file: inout SnapshotWriter) throws {
        try file.strings("terms", terms)
        try file.array("postings.start", postingStart)
        try file.array("postings.docs", postingDocs)
        try file.array("postings.weights", postingWeights)
        try file.array("postings.fields", postingFields)
        try file.array("forward.start", forwardStart)
        try file.array("forward.terms", forwardTerms)
        try file.array("forward.weights", forwardWeights)
        try file.array("forward.fields", forwardFields)
        try file.array("terms.added", addedTerms)
        let tailTerms = tails.keys.sorted()
        var starts = [0], docs = [UInt32](), weights = [UInt8](), fields = [UInt8]()
        for term in tailTerms {
            let tail = tails[term]!
            docs += tail.docs
            weights += tail.weights
            fields += tail.fields
            starts.append(docs.count)
        }
        try file.array("tails.terms", tailTerms)
        try file.array("tails.start", starts)
        try file.array("tails.docs", docs)
        try file.array("tails.weights", weights)
        try file.array("tails.fields", fields)
        try file.array("absent", absent)
    }

    init(_ file: inout SnapshotReader) throws {
        terms = try file.strings("terms")
        termBytes = terms.map { Array($0.utf8) }
        lettersOnly = termBytes.map { $0.allSatisfy { $0 >= 97 && $0 <= 122 || $0 >= 0x80 } }
        postingStart = try file.array("postings.start")
        postingDocs = try file.array("postings.docs")
        postingWeights = try file.array("postings.weights")
        postingFields = try file.array("postings.fields")
        forwardStart = try file.array("forward.start")
        forwardTerms = try file.array("forward.terms")
        forwardWeights = try file.array("forward.weights")
        forwardFields = try file.array("forward.fields")
        addedTerms = try file.array("terms.added")
        let tailTerms = try file.array("tails.terms", of: Int.self)
        let starts = try file.array("tails.start", of: Int.self)
        let docs = try file.array("tails.docs", of: UInt32.self)
        let weights = try file.array("tails.weights", of: UInt8.self)
        let fields = try file.array("tails.fields", of: UInt8.self)
        absent = try file.array("absent")
        let documents = forwardStart.count - 1
        // Every number read is checked against what it indexes: a damaged file is refused, never followed.
        guard !postingStart.isEmpty, postingStart.count - 1 <= terms.count, postingStart.first == 0, postingStart.last == postingDocs.count,
              postingWeights.count == postingDocs.count, postingFields.count == postingDocs.count,
              zip(postingStart, postingStart.dropFirst()).allSatisfy({ $0 <= $1 }), postingDocs.allSatisfy({ Int($0) < documents }),
              forwardStart.first == 0, forwardStart.last == forwardTerms.count, forwardWeights.count == forwardTerms.count,
              forwardFields.count == forwardTerms.count, zip(forwardStart, forwardStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              forwardTerms.allSatisfy({ Int($0) < terms.count }), addedTerms.allSatisfy({ $0 >= postingStart.count - 1 && $0 < terms.count }),
              starts.count == tailTerms.count + 1, starts.first == 0, starts.last == docs.count, weights.count == docs.count,
              fields.count == docs.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }),
              tailTerms.allSatisfy({ $0 >= 0 && $0 < terms.count }), docs.allSatisfy({ Int($0) < documents }), absent.count <= documents else {
            throw SnapshotError(description: "the saved engine's word index is damaged")
        }
        for (position, term) in tailTerms.enumerated() {
            let range = starts[position]..<starts[position + 1]
            tails[term] = PostingTail(docs: Array(docs[range]), weights: Array(weights[range]), fields: Array(fields[range]))
        }
    }
}

extension Columns {
    func save(_ file: inout SnapshotWriter) throws {
        try file.array("ids", ids)
        for (name, column) in [("paths", paths), ("captions", captions), ("names", names), ("taken", taken),
                               ("stackHints", stackHints)] { try file.column(name, column) }
        for (name, column) in [("folders", folders), ("make", make), ("model", model), ("lens", lens), ("city", city), ("region", region),
                               ("country", country), ("format", format), ("orientation", orientation), ("topLabels", topLabels.words)] {
            try file.column(name, column)
        }
        try file.array("topLabels.starts", topLabels.starts)
        try file.column("people", people.words)
        try file.array("people.starts", people.starts)
        try file.array("peopleCount", peopleCount)
        try file.array("takenKeys", takenKeys)
        try file.array("iso", iso)
        try file.array("aperture", aperture)
        try file.array("focal", focal)
        try file.array("duration", duration)
        try file.array("latitude", latitude)
        try file.array("longitude", longitude)
        try file.array("rating", rating)
        try file.array("faces", faces)
        try file.array("hasText", hasText)
        try file.array("recency", recency)
        try file.array("looks", looks)
    }

    init(_ file: inout SnapshotReader) throws {
        func text(_ name: String) throws -> TextColumn { try file.textColumn(name) }
        func coded(_ name: String) throws -> CodedColumn { try file.codedColumn(name) }
        ids = try file.array("ids")
        paths = try text("paths")
        captions = try text("captions")
        names = try text("names")
        taken = try text("taken")
        stackHints = try text("stackHints")
        folders = try coded("folders")
        make = try coded("make")
        model = try coded("model")
        lens = try coded("lens")
        city = try coded("city")
        region = try coded("region")
        country = try coded("country")
        format = try coded("format")
        orientation = try coded("orientation")
        topLabels = WordListColumn(words: try coded("topLabels"), starts: try file.array("topLabels.starts"))
        people = WordListColumn(words: try coded("people"), starts: try file.array("people.starts"))
        foldedPeople = people.words.names.map(Folding.name)
        peopleCount = try file.array("peopleCount")
        takenKeys = try file.array("takenKeys")
        iso = try file.array("iso")
        aperture = try file.array("aperture")
        focal = try file.array("focal")
        duration = try file.array("duration")
        latitude = try file.array("latitude")
        longitude = try file.array("longitude")
        rating = try file.array("rating")
        faces = try file.array("faces")
        hasText = try file.array("hasText")
        recency = try file.array("recency")
        looks = try file.array("looks")
        let count = ids.count
        let texts = [paths, captions, names, taken, stackHints]
        let codes = [folders, make, model, lens, city, region, country, format, orientation]
        let numberCounts: [Int] = [takenKeys.count, iso.count, aperture.count, focal.count, duration.count, latitude.count, longitude.count,
                                   rating.count, faces.count, hasText.count, recency.count, looks.count, topLabels.starts.count - 1,
                                   people.starts.count - 1, peopleCount.count]
        guard texts.allSatisfy({ $0.count == count && $0.isWhole }), codes.allSatisfy({ $0.count == count && $0.isWhole }),
              numberCounts.allSatisfy({ $0 == count }), topLabels.isWhole, people.isWhole else {
            throw SnapshotError(description: "the saved engine's columns disagree on how many photos they hold")
        }
    }
}

extension FacetColumns {
    func save(_ file: inout SnapshotWriter) throws {
        for (name, field) in [("year", year), ("camera", camera), ("place", place), ("type", type)] {
            try file.strings("facet." + name, field.names)
            try file.array("facet." + name + ".codes", field.codes)
        }
    }

    init(_ file: inout SnapshotReader) throws {
        func field(_ name: String) throws -> Field {
            let names = try file.strings("facet." + name)
            let codes = try file.array("facet." + name + ".codes", of: Int32.self)
            guard codes.allSatisfy({ $0 >= -1 && Int($0) < names.count }) else {
                throw SnapshotError(description: "the saved engine's \(name) facet is damaged")
            }
            return Field(names: names, codes: codes, numbers: Dictionary(names.enumerated().map { ($1, Int32($0)) }) { first, _ in first })
        }
        year = try field("year")
        camera = try field("camera")
        place = try field("place")
        type = try field("type")
        guard [camera, place, type].allSatisfy({ $0.codes.count == year.codes.count }) else {
            throw SnapshotError(description: "the saved engine's facets are damaged")
        }
    }
}
