/// A vector laid out for comparing with rows: whole SIMD16 chunks for float rows (the centres), the same values
/// regrouped by byte position for int8 rows, then the rest one by one. What every similarity a search reports is
/// computed with, in the exact scan and in the neighbourhoods alike.
struct QueryLanes {
    let chunks: [SIMD16<Float>]
    /// For 16 int8 values read as four 32-bit lanes: per chunk, four vectors, the k-th holding the query values
    /// that byte k of each lane multiplies (`byBytes[chunk * 4 + k][i]` = `vector[chunk * 16 + 4 * i + k]`).
    let byBytes: [SIMD4<Float>]
    let rest: [Float]

    init(_ vector: [Float]) {
        let whole = vector.count / 16
        chunks = (0..<whole).map { SIMD16<Float>(vector[($0 * 16)..<($0 * 16 + 16)]) }
        byBytes = (0..<whole).flatMap { chunk in
            (0..<4).map { byte in SIMD4<Float>((0..<4).map { lane in vector[chunk * 16 + 4 * lane + byte] }) }
        }
        rest = Array(vector[(whole * 16)...])
    }

    /// The dot product with a float vector starting at `start` (a neighbourhood's centre).
    func similarity(_ vectors: UnsafeBufferPointer<Float>, _ start: Int) -> Float {
        let base = UnsafeRawPointer(vectors.baseAddress! + start)
        var sum = SIMD16<Float>.zero
        for (chunk, lanes) in chunks.enumerated() { sum += base.loadUnaligned(fromByteOffset: chunk * 64, as: SIMD16<Float>.self) * lanes }
        var total = sum.sum()
        for (offset, value) in rest.enumerated() { total += vectors[start + chunks.count * 16 + offset] * value }
        return total
    }
}

/// A vector in int8 steps like the rows': what placing a row among the neighbourhoods' centres uses, since an
/// integer dot product of two int8 rows is about twice as fast as converting each row to floats (BENCHMARKS.md).
struct QuantisedQuery {
    let values: [Int8]
    let scale: Float

    init(values: [Int8], scale: Float) {
        self.values = values
        self.scale = scale
    }

    /// A stored row as it is.
    init(row: Int, of rows: QuantisedRows) {
        values = Array(rows.values[(row * rows.dimensions)..<((row + 1) * rows.dimensions)])
        scale = rows.scales[row]
    }

    /// A vector as a row is stored: the largest value is 127 steps; nil for one that is empty, not finite or of
    /// other dimensions (such a photo gets no row).
    init?(quantising vector: [Float], dimensions: Int) {
        guard vector.count == dimensions, let largest = vector.map(abs).max(), largest > 0, largest.isFinite else { return nil }
        let scale = largest / 127
        self.scale = scale
        values = vector.map { Int8(($0 / scale).rounded()) }
    }
}

/// A borrowed view of rows side by side (a `RowList`'s, or the centres'), valid inside `withUnsafeBufferPointer` calls.
struct QuantisedRows: @unchecked Sendable {
    let values: UnsafeBufferPointer<Int8>
    let scales: UnsafeBufferPointer<Float>
    let dimensions: Int

    var count: Int { scales.count }

    /// The dot product of a quantised query with one row, in integers.
    @inline(__always)
    func similarity(_ query: QuantisedQuery, _ row: Int) -> Float {
        let base = UnsafeRawPointer(values.baseAddress! + row * dimensions)
        let whole = dimensions / 16
        var total: Int32 = query.values.withUnsafeBytes { query in
            // 16 bytes read as eight 16-bit lanes: shifts split each lane into its two signed bytes, whose
            // products (at most 127², two of them summed) fit in 16 bits; the sums are split again into 32-bit
            // lanes. Only plain operators, which the compiler inlines (the stdlib's widening conversion it did not).
            var sums = SIMD4<Int32>.zero
            for chunk in 0..<whole {
                let row = base.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD8<Int16>.self)
                let other = query.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD8<Int16>.self)
                let pairs = ((row &<< 8) &>> 8) &* ((other &<< 8) &>> 8) &+ (row &>> 8) &* (other &>> 8)
                let wide = unsafeBitCast(pairs, to: SIMD4<Int32>.self)
                sums &+= ((wide &<< 16) &>> 16) &+ (wide &>> 16)
            }
            return sums.wrappedSum()
        }
        for column in (whole * 16)..<dimensions {
            total &+= Int32(base.load(fromByteOffset: column, as: Int8.self)) * Int32(query.values[column])
        }
        return Float(total) * query.scale * scales[row]
    }

    /// The dot product of the query with one row (the cosine, as vectors are unit length).
    @inline(__always)
    func similarity(_ query: QueryLanes, _ row: Int) -> Float {
        let base = UnsafeRawPointer(values.baseAddress! + row * dimensions)
        var total: Float = query.byBytes.withUnsafeBufferPointer { lanes in
            // 16 bytes read as four 32-bit lanes, each byte sign-extended by shifts: plain operators the compiler
            // inlines, where the stdlib's SIMD16<Int8> to floats is a call per 16 bytes (bench/DotProduct.swift).
            var first = SIMD4<Float>.zero, second = SIMD4<Float>.zero, third = SIMD4<Float>.zero, fourth = SIMD4<Float>.zero
            for chunk in 0..<(lanes.count / 4) {
                let bytes = base.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD4<Int32>.self)
                first += SIMD4<Float>((bytes &<< 24) &>> 24) * lanes[chunk * 4]
                second += SIMD4<Float>((bytes &<< 16) &>> 24) * lanes[chunk * 4 + 1]
                third += SIMD4<Float>((bytes &<< 8) &>> 24) * lanes[chunk * 4 + 2]
                fourth += SIMD4<Float>(bytes &>> 24) * lanes[chunk * 4 + 3]
            }
            return ((first + second) + (third + fourth)).sum()
        }
        let start = query.chunks.count * 16
        for (offset, value) in query.rest.enumerated() {
            total += Float(base.load(fromByteOffset: start + offset, as: Int8.self)) * value
        }
        return total * scales[row]
    }
}
