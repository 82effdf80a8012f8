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
    /// A video's length in seconds (NaN: a photo).
    var duration: [Float] = []
    var latitude: [Float] = []
    var longitude: [Float] = []
    var format = CodedColumn()
    var orientation = CodedColumn()
    var rating: [Int8] = []
    var faces: [UInt8] = []
    var hasText: [Bool] = []
    var topLabels = WordListColumn()
    /// The names of each photo's people as written (the people facet shows them so).
    var people = WordListColumn()
    /// Each of `people`'s distinct names as `Folding.name` compares them, by its code: a `person:` filter compares these.
    var foldedPeople: [String] = []
    var peopleCount: [UInt8] = []
    /// Capture time as a sortable number, for ties and for queries without words.
    var recency: [UInt32] = []
    /// The identifier that stacks the photo with others ("live:…", "burst:…"), or "" (see `Stacks.hint`).
    var stackHints = TextColumn()
    /// Each photo's perceptual hash bits (0: none yet; a flat picture's is 0 too, and says nothing of a burst).
    var looks: [UInt64] = []

    init() {}

    init(_ documents: [SearchDocument]) {
        for index in documents.indices { append(documents[index]) }
    }

    /// Room for this many photos in every column of a value a photo, so a build's appends never move them (each
    /// move copied the column and faulted its pages in twice). Room never written is not resident.
    mutating func reserveCapacity(_ photos: Int) {
        ids.reserveCapacity(photos)
        takenKeys.reserveCapacity(photos)
        looks.reserveCapacity(photos)
        recency.reserveCapacity(photos)
        rating.reserveCapacity(photos)
        hasText.reserveCapacity(photos)
        for column in [\Columns.iso, \.aperture, \.focal, \.duration, \.latitude, \.longitude] { self[keyPath: column].reserveCapacity(photos) }
        for column in [\Columns.faces, \.peopleCount] { self[keyPath: column].reserveCapacity(photos) }
        for column in [\Columns.folders, \.make, \.model, \.lens, \.city, \.region, \.country, \.format, \.orientation] {
            self[keyPath: column].codes.reserveCapacity(photos)
        }
        for column in [\Columns.paths, \.captions, \.names, \.taken, \.stackHints] { self[keyPath: column].ends.reserveCapacity(photos) }
        for column in [\Columns.topLabels, \.people] { self[keyPath: column].starts.reserveCapacity(photos + 1) }
    }

    /// Room in the text columns' bytes for `photos` photos at the average so far and a quarter more, never more
    /// than `mostBytesReserved` a photo: a sample of long texts must not ask for gigabytes (past the room, the
    /// bytes grow as before).
    mutating func reserveTextCapacity(photos: Int) {
        guard count > 0 else { return }
        for column in [\Columns.paths, \.captions, \.names, \.taken, \.stackHints] {
            let perPhoto = min(self[keyPath: column].bytes.count / count + 1, Self.mostBytesReserved)
            HugePages.reserve(&self[keyPath: column].bytes, perPhoto * photos * 5 / 4)
        }
    }

    private static let mostBytesReserved = 256

    /// Another part's photos as the next photo numbers, its coded values recoded here: what appending each of
    /// them would give (a build codes each half of the photos on its own core).
    mutating func append(contentsOf other: Columns) {
        ids += other.ids
        paths.append(contentsOf: other.paths)
        captions.append(contentsOf: other.captions)
        folders.append(contentsOf: other.folders)
        names.append(contentsOf: other.names)
        make.append(contentsOf: other.make)
        model.append(contentsOf: other.model)
        lens.append(contentsOf: other.lens)
        city.append(contentsOf: other.city)
        region.append(contentsOf: other.region)
        country.append(contentsOf: other.country)
        taken.append(contentsOf: other.taken)
        takenKeys += other.takenKeys
        iso += other.iso
        aperture += other.aperture
        focal += other.focal
        duration += other.duration
        latitude += other.latitude
        longitude += other.longitude
        format.append(contentsOf: other.format)
        orientation.append(contentsOf: other.orientation)
        rating += other.rating
        faces += other.faces
        hasText += other.hasText
        topLabels.append(contentsOf: other.topLabels)
        people.append(contentsOf: other.people)
        while foldedPeople.count < people.words.names.count { foldedPeople.append(Folding.name(people.words.names[foldedPeople.count])) }
        peopleCount += other.peopleCount
        recency += other.recency
        stackHints.append(contentsOf: other.stackHints)
        looks += other.looks
    }

    /// A photo's values as the next photo number's.
    mutating func append(_ document: SearchDocument) {
        ids.append(document.id)
        paths.append(document.path)
        captions.append(document.caption)
        appendFolderAndName(document.path)
        make.append(folding: document.make)
        model.append(folding: document.model)
        lens.append(folding: document.lens)
        city.append(folding: document.city)
        region.append(folding: document.region)
        country.append(folding: document.country)
        taken.append(document.taken ?? "")
        let key = document.taken.map { $0.isEmpty ? 0 : Self.timeKey($0) } ?? 0
        takenKeys.append(key)
        iso.append(document.iso.map(Float.init) ?? .nan)
        aperture.append(document.fNumber.map(Float.init) ?? .nan)
        focal.append(document.focalLength.map(Float.init) ?? .nan)
        duration.append(document.duration.map(Float.init) ?? .nan)
        latitude.append(document.latitude.map(Float.init) ?? .nan)
        longitude.append(document.longitude.map(Float.init) ?? .nan)
        format.append(document.format)
        orientation.append(document.width == document.height ? "square" : document.width > document.height ? "landscape" : "portrait")
        rating.append(Int8(clamping: document.rating ?? -1))
        faces.append(UInt8(clamping: document.faces))
        hasText.append(!document.text.isEmpty)
        topLabels.append(bestOf: document.labels)
        // A name once a photo, however many of its people bear it: a facet counts photos.
        var named = Set<String>()
        people.append(document.people.filter { named.insert($0).inserted })
        while foldedPeople.count < people.words.names.count { foldedPeople.append(Folding.name(people.words.names[foldedPeople.count])) }
        peopleCount.append(UInt8(clamping: document.peopleCount))
        recency.append(UInt32(key / 10_000))
        stackHints.append(Stacks.hint(contentIdentifier: document.contentIdentifier, burstIdentifier: document.burstIdentifier))
        looks.append(document.perceptualHash ?? 0)
    }

    /// A row's codes by `CodedText`, its best labels' last (what `WeighedHalf.add` is given).
    func codes(ofRow row: Int, into codes: inout [UInt32]) {
        codes.removeAll(keepingCapacity: true)
        codes.append(folders.codes[row])
        codes.append(make.codes[row])
        codes.append(model.codes[row])
        codes.append(lens.codes[row])
        codes.append(city.codes[row])
        codes.append(region.codes[row])
        codes.append(country.codes[row])
        for label in topLabels.starts[row]..<topLabels.starts[row + 1] { codes.append(topLabels.words.codes[label]) }
    }

    /// The folder (up to the last "/") and the file name (after it), folded. A photo's path never ends in "/".
    private mutating func appendFolderAndName(_ path: String) {
        // ASCII and Latin letters by bytes (no combining marks: every "/" separates); no "/" is the folder "".
        let latin = path.withUTF8Bytes { utf8 in
            guard Folding.isASCII(utf8) || Folding.isLatin(utf8) else { return false }
            let slash = utf8.lastIndex(of: UInt8(ascii: "/"))
            // Both parts fold: the whole did, and "/" is a byte of its own in UTF-8 (a letter is never cut).
            let folded = folders.append(latinFolding: UnsafeBufferPointer(rebasing: utf8[..<(slash ?? 0)]))
                && names.append(latinFolding: UnsafeBufferPointer(rebasing: utf8[(slash.map { $0 + 1 } ?? 0)...]))
            precondition(folded, "a Latin path's folder and name fold")
            return true
        }
        guard !latin else { return }
        // By characters otherwise: a "/" that carries a combining mark is not a separator.
        if let slash = path.lastIndex(of: "/") {
            folders.append(folding: path[..<slash])
            names.append(folding: path[path.index(after: slash)...])
        } else {
            folders.append(folding: ""[...])
            names.append(folding: path[...])
        }
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
