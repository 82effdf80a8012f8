import Foundation

/// Photo vectors for one model, quantised to 8 bits per dimension (a quarter of the memory of floats), each row
/// stored once, beside its photo number, in the list of its neighbourhood (IVF-flat). Below `approximateFrom`
/// photos there is one list and every search scans it all exactly with SIMD; from there on `Neighbourhoods`
/// split the rows by nearest centre and a search reads, in order, only the lists around the centres nearest the
/// query, since a scan grows with the library.
public struct VectorIndex: Sendable {
    public let model: String
    public let dimensions: Int
    /// The rows, grouped by neighbourhood: one list per centre, or a single list while there are no centres.
    private(set) var lists: [RowList]
    /// Per photo number, where its row is; `RowPlace.none` where the photo has no vector.
    private(set) var places: [RowPlace]
    /// Present from `approximateFrom` photos on; learnt once, then each changed row is placed by them.
    private(set) var neighbourhoods: Neighbourhoods?
    /// From this many photos on a search reads the nearest neighbourhoods; below it the exact scan, which was
    /// faster at 50,000 rows and slower at 100,000 (BENCHMARKS.md).
    public private(set) var approximateFrom: Int
    public static let scanIsFasterBelow = 75_000
    /// The rows `spread` reads, copied side by side in photo-number order while the neighbourhoods answer: read
    /// in place they were 4,096 random reads over the whole index, a third of a hybrid query's time at 1M.
    private var spreadRows: RowList?
    /// The stride `spreadRows` were taken at.
    private var spreadRowsStep = 0

    /// - Parameter vectors: by photo number; nil where a photo has none.
    public init(model: String, vectors: [[Float]?], approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        self.model = model
        self.approximateFrom = approximateFrom
        let dimensions = vectors.first(where: { $0 != nil })??.count ?? 0
        self.dimensions = dimensions
        var all = RowList(dimensions: dimensions, capacity: vectors.count(where: { $0 != nil }))
        places = [RowPlace](repeating: .none, count: vectors.count)
        for (photo, vector) in vectors.enumerated() {
            guard let vector, let row = QuantisedQuery(quantising: vector, dimensions: dimensions) else { continue }
            places[photo] = RowPlace(list: 0, slot: all.append(row, photo: photo))
        }
        lists = [all]
        if count >= approximateFrom { learnNeighbourhoods() }
    }

    /// Takes back an index kept on disk: its lists as saved, its centres when it has them (nothing is learnt or
    /// placed again). Nil when the parts disagree (a damaged file).
    init?(model: String, dimensions: Int, count: Int, lists: [RowList], centres: [Float],
          approximateFrom: Int = VectorIndex.scanIsFasterBelow) {
        guard dimensions > 0, centres.count % dimensions == 0, lists.count == max(1, centres.count / dimensions),
              lists.allSatisfy({ $0.dimensions == dimensions && $0.values.count == $0.count * dimensions && $0.scales.count == $0.count }) else { return nil }
        var places = [RowPlace](repeating: .none, count: count)
        for (list, rows) in lists.enumerated() {
            for (slot, photo) in rows.photos.enumerated() {
                // Every row belongs to a photo of the library, once, and has a scale a vector gives.
                guard Int(photo) < count, places[Int(photo)].list < 0, rows.scales[slot] > 0, rows.scales[slot].isFinite else { return nil }
                places[Int(photo)] = RowPlace(list: list, slot: slot)
            }
        }
        self.model = model
        self.dimensions = dimensions
        self.lists = lists
        self.places = places
        self.approximateFrom = approximateFrom
        neighbourhoods = centres.isEmpty ? nil : Neighbourhoods(dimensions: dimensions, centres: centres)
        sampleSpread()
    }

    /// The same rows, searched the other way: `approximateFrom` `.max` always scans (what the bench measures
    /// against, sharing the lists); a lower one learns neighbourhoods if there are none (the rows are regrouped).
    public func sharingRows(approximateFrom: Int) -> VectorIndex {
        var other = self
        other.approximateFrom = approximateFrom
        if other.neighbourhoods == nil && other.count >= approximateFrom { other.learnNeighbourhoods() }
        other.sampleSpread()
        return other
    }

    /// Photo numbers the index spans (rows with and without a vector).
    public var count: Int { places.count }
    public var isApproximate: Bool { neighbourhoods != nil && count >= approximateFrom }
    public var neighbourhoodCount: Int { neighbourhoods?.count ?? 0 }
    /// How many of them a search scans (`rowsSearched` rows' worth).
    public var neighbourhoodsSearched: Int { neighbourhoods == nil ? 0 : holding(Self.rowsSearched) }
    public func hasVector(_ photo: Int) -> Bool { photo < places.count && places[photo].list >= 0 }
    public var memoryBytes: Int {
        lists.reduce(0) { $0 + $1.memoryBytes } + places.capacity * MemoryLayout<RowPlace>.stride + (neighbourhoods?.memoryBytes ?? 0)
            + (spreadRows?.memoryBytes ?? 0)
    }

    /// Sets photo `photo`'s vector (nil: none), adding photo numbers up to it: its row leaves its list (the
    /// list's last row takes its place) and joins the list of its nearest centre. A photo without a vector is
    /// never found. The neighbourhoods are learnt once, when the photos first reach `approximateFrom`.
    public mutating func assign(_ vector: [Float]?, to photo: Int) {
        if photo >= count { places += repeatElement(.none, count: photo + 1 - count) }
        let place = places[photo]
        if place.list >= 0 {
            if let moved = lists[Int(place.list)].remove(at: Int(place.slot)) { places[moved] = place }
            places[photo] = .none
        }
        // The sample is taken again when this photo is in it or the library grew to another stride: about once
        // in 244 changes at 1M, a millisecond each.
        defer {
            if isApproximate && (spreadRows == nil || photo % spreadStep == 0 || spreadStep != spreadRowsStep) { sampleSpread() }
        }
        guard let vector, let row = QuantisedQuery(quantising: vector, dimensions: dimensions) else { return }
        let list = neighbourhoods?.home(of: row) ?? 0
        places[photo] = RowPlace(list: list, slot: lists[list].append(row, photo: photo))
        if neighbourhoods == nil && count >= approximateFrom { learnNeighbourhoods() }
    }

    /// Learns the centres from the single list's rows and regroups them by nearest centre, each list allocated
    /// at its size.
    private mutating func learnNeighbourhoods() {
        let all = lists[0]
        guard all.count > 0 else { return }  // no vector yet to learn centres from
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let neighbourhoods = all.withRows { rows, _ in Neighbourhoods(learningFrom: rows, threads: threads) }
        let homes = all.withRows { rows, _ in neighbourhoods.homes(of: rows, threads: threads) }
        var sizes = [Int](repeating: 0, count: neighbourhoods.count)
        for home in homes { sizes[Int(home)] += 1 }
        var grouped = sizes.map { RowList(dimensions: dimensions, capacity: $0) }
        lists = []  // the single list's storage goes as soon as `all` does
        for (slot, home) in homes.enumerated() {
            places[Int(all.photos[slot])] = RowPlace(list: Int(home), slot: grouped[Int(home)].count)
            grouped[Int(home)].append(slot, of: all)
        }
        lists = grouped
        self.neighbourhoods = neighbourhoods
        sampleSpread()
    }

    /// How many neighbourhoods of the average size hold about `rows` rows (at least one, at most all).
    func holding(_ rows: Int) -> Int {
        let average = max(1, lists.reduce(0) { $0 + $1.count } / max(1, lists.count))
        return min(lists.count, max(1, (rows + average - 1) / average))
    }

    /// Every photo's similarity with the query (the cosine: vectors are unit length), for the photos with a
    /// vector, in the order the rows are stored.
    func similarities(_ query: [Float]) -> [(photo: Int, similarity: Float)] {
        precondition(query.count == dimensions, "query vector has \(query.count) dimensions, the index \(dimensions)")
        let lanes = QueryLanes(query)
        var result = [(photo: Int, similarity: Float)]()
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            list.withRows { rows, photos in
                for slot in 0..<rows.count { result.append((Int(photos[slot]), rows.similarity(lanes, slot))) }
            }
        }
        return result
    }

    /// Rows the spread of a query's similarities is estimated from once the neighbourhoods answer: a fixed stride
    /// through the photo numbers, so the same library gives the same cut-off.
    static let spreadSample = 4096

    /// Photo numbers apart of two photos of the spread's sample.
    private var spreadStep: Int { max(1, count / Self.spreadSample) }

    /// Copies the rows of the photos `spread` samples (every `spreadStep`-th photo number with a vector), in
    /// photo-number order; none while the scan is exact (it reads every row).
    private mutating func sampleSpread() {
        guard isApproximate else {
            (spreadRows, spreadRowsStep) = (nil, 0)
            return
        }
        var sample = RowList(dimensions: dimensions, capacity: Self.spreadSample + 1)
        for photo in stride(from: 0, to: count, by: spreadStep) where places[photo].list >= 0 {
            sample.append(Int(places[photo].slot), of: lists[Int(places[photo].list)])
        }
        (spreadRows, spreadRowsStep) = (sample, spreadStep)
    }

    /// The mean and spread of the query's similarities over the photos with a vector: over all of them while
    /// the scan is exact, else over `spreadSample` photos chosen by a fixed stride.
    func spread(_ query: [Float]) -> MeaningCutoff.Spread {
        guard isApproximate, let spreadRows else { return MeaningCutoff.Spread(similarities(query).lazy.map(\.similarity)) }
        let lanes = QueryLanes(query)
        return spreadRows.withRows { rows, _ in MeaningCutoff.Spread((0..<rows.count).lazy.map { rows.similarity(lanes, $0) }) }
    }

    /// Rows a search reads from the nearest neighbourhoods, at any size: at a million clustered vectors (16 of
    /// 1,000 neighbourhoods) 0.987 of the exact top 100, for a sixtieth of the rows (BENCHMARKS.md).
    public static let rowsSearched = 16_384

    /// The `limit` photos most similar to the query among those `accept` lets through, best first: from the
    /// nearest `searched` neighbourhoods (by default as many as hold `rowsSearched` rows) when there are
    /// neighbourhoods (approximate), else from the exact scan.
    /// - Parameter passing: the photos `accept` can let through, listed from the filters' columns, when a filter
    ///   narrows them; asked for only when the nearest neighbourhoods come up short.
    func nearest(_ query: [Float], limit: Int, searched: Int? = nil, accept: (Int) -> Bool,
                 passing: (() -> [Int])? = nil) -> [(row: Int, similarity: Float)] {
        guard isApproximate, let neighbourhoods, limit > 0 else { return exactNearest(query, limit: limit, accept: accept) }
        let lanes = QueryLanes(query)
        var best = ScoredHeap(capacity: limit)
        for neighbourhood in neighbourhoods.nearestNeighbourhoods(lanes, searched ?? holding(Self.rowsSearched)) {
            lists[neighbourhood].offer(lanes, to: &best, limit: limit, accept: accept)
        }
        // A filter few photos pass leaves the nearest neighbourhoods short: then the exact answer, from the rows
        // of the photos it passes where it can list them, else from the scan.
        guard best.count == limit else {
            guard let passing else { return exactNearest(query, limit: limit, accept: accept) }
            return exactNearest(query, limit: limit, among: passing(), accept: accept)
        }
        return best.drainedBestFirst().map { (Int($0.node), $0.key) }
    }

    /// `exactNearest` over the rows of `photos` only, each read where it is: the same answer as the scan (the heap
    /// keeps ties by number, whatever the order), without a similarity for every row of the library.
    func exactNearest(_ query: [Float], limit: Int, among photos: [Int], accept: (Int) -> Bool) -> [(row: Int, similarity: Float)] {
        // A row read out of order cost about 3 times one read in order (BENCHMARKS.md): past a third, the scan.
        guard photos.count < lists.reduce(0, { $0 + $1.count }) / 3 else { return exactNearest(query, limit: limit, accept: accept) }
        var best = ScoredHeap(capacity: limit)
        let lanes = QueryLanes(query)
        for photo in photos where hasVector(photo) && accept(photo) {
            let place = places[photo]
            best.offer(lists[Int(place.list)].similarity(lanes, Int(place.slot)), UInt32(photo), limit: limit)
        }
        return best.drainedBestFirst().map { (Int($0.node), $0.key) }
    }

    /// The `limit` photos most similar to the query among those `accept` lets through, by the exact scan.
    public func exactNearest(_ query: [Float], limit: Int, accept: (Int) -> Bool) -> [(row: Int, similarity: Float)] {
        var best = ScoredHeap()
        let lanes = QueryLanes(query)
        for list in lists { list.offer(lanes, to: &best, limit: limit, accept: accept) }
        return best.drainedBestFirst().map { (Int($0.node), $0.key) }
    }

    /// Public form of `nearest` for measuring recall against `exactNearest` (bench/SearchBench).
    public func approximateNearest(_ query: [Float], limit: Int, searched: Int? = nil) -> [(row: Int, similarity: Float)] {
        nearest(query, limit: limit, searched: searched) { _ in true }
    }

    /// One photo's vector as floats (what it was quantised to); empty where it has none.
    public func vector(_ photo: Int) -> [Float] {
        guard hasVector(photo) else { return [] }
        let place = places[photo], list = lists[Int(place.list)], start = Int(place.slot) * dimensions
        return (0..<dimensions).map { Float(list.values[start + $0]) * list.scales[Int(place.slot)] }
    }
}

/// Where a photo's row is: its list and its position in it (`list` -1: the photo has no vector).
struct RowPlace: Sendable {
    let list: Int32
    let slot: UInt32

    init(list: Int, slot: Int) {
        self.list = Int32(list)
        self.slot = UInt32(slot)
    }

    static let none = RowPlace(list: -1, slot: 0)
}
