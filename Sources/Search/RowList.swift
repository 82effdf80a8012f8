/// One neighbourhood's rows side by side (IVF-flat): each row's int8 values, its scale and its photo number at
/// the same position, so a search reads the neighbourhood in order. A row leaving is replaced by the last one.
struct RowList: Sendable {
    let dimensions: Int
    private(set) var values: [Int8] = []
    /// What one step of each row's int8 values is worth (always above 0: a photo without a vector has no row).
    private(set) var scales: [Float] = []
    private(set) var photos: [UInt32] = []

    init(dimensions: Int, capacity: Int = 0) {
        self.dimensions = dimensions
        reserve(capacity)
    }

    /// Takes back a list kept on disk.
    init(dimensions: Int, values: [Int8], scales: [Float], photos: [UInt32]) {
        self.dimensions = dimensions
        self.values = values
        self.scales = scales
        self.photos = photos
    }

    var count: Int { photos.count }
    var memoryBytes: Int { values.capacity + scales.capacity * 4 + photos.capacity * 4 }

    /// Appends a row; returns its position.
    @discardableResult
    mutating func append(_ row: QuantisedQuery, photo: Int) -> Int {
        // An eighth more at a time, not the double Swift grows by: a full list of a million-photo library is
        // ~400 KB, and doubling every list the first time indexing adds to it would add up to the whole rows again.
        if values.count + dimensions > values.capacity || scales.count == scales.capacity || photos.count == photos.capacity {
            reserve(photos.count + photos.count / 8 + 16)
        }
        values += row.values
        scales.append(row.scale)
        photos.append(UInt32(photo))
        return photos.count - 1
    }

    /// Appends row `slot` of another list.
    mutating func append(_ slot: Int, of other: RowList) {
        values += other.values[(slot * dimensions)..<((slot + 1) * dimensions)]
        scales.append(other.scales[slot])
        photos.append(other.photos[slot])
    }

    /// Removes the row at `slot` by moving the last row into it; returns the photo whose row moved there (nil
    /// when the last row was the one removed).
    mutating func remove(at slot: Int) -> Int? {
        let last = photos.count - 1
        defer {
            values.removeLast(dimensions)
            scales.removeLast()
            photos.removeLast()
        }
        guard slot != last else { return nil }
        values.withUnsafeMutableBufferPointer { values in
            values.baseAddress!.advanced(by: slot * dimensions).update(from: values.baseAddress! + last * dimensions, count: dimensions)
        }
        scales[slot] = scales[last]
        photos[slot] = photos[last]
        return Int(photos[last])
    }

    private mutating func reserve(_ rows: Int) {
        values.reserveCapacity(rows * dimensions)
        scales.reserveCapacity(rows)
        photos.reserveCapacity(rows)
    }

    /// One row as a quantised vector.
    func row(_ slot: Int) -> QuantisedQuery {
        QuantisedQuery(values: Array(values[(slot * dimensions)..<((slot + 1) * dimensions)]), scale: scales[slot])
    }

    /// Offers every row `accept` lets through (by photo number) to `best`, read in order.
    func offer(_ query: QueryLanes, to best: inout ScoredHeap, limit: Int, accept: (Int) -> Bool) {
        withRows { rows, photos in
            for slot in 0..<rows.count where accept(Int(photos[slot])) {
                best.offer(rows.similarity(query, slot), photos[slot], limit: limit)
            }
        }
    }

    /// One row's similarity with the query.
    func similarity(_ query: QueryLanes, _ slot: Int) -> Float { withRows { rows, _ in rows.similarity(query, slot) } }

    func withRows<T>(_ body: (QuantisedRows, UnsafeBufferPointer<UInt32>) -> T) -> T {
        values.withUnsafeBufferPointer { values in
            scales.withUnsafeBufferPointer { scales in
                photos.withUnsafeBufferPointer { photos in
                    body(QuantisedRows(values: values, scales: scales, dimensions: dimensions), photos)
                }
            }
        }
    }
}
