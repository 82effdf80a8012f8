/// Squared Euclidean distance between two descriptors of one length (dlib's 128), sixteen lanes at a time.
@inline(__always)
func squaredDistance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
    let count = min(a.count, b.count)
    var lanes = SIMD16<Float>()
    var i = 0
    guard let x = a.baseAddress, let y = b.baseAddress else { return 0 }
    while i + 16 <= count {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            - UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
        lanes += d * d
        i += 16
    }
    var sum = lanes.sum()
    while i < count {
        let d = a[i] - b[i]
        sum += d * d
        i += 1
    }
    return sum
}

/// The same, for two descriptors held as arrays.
func squaredDistance(_ a: [Float], _ b: [Float]) -> Float {
    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in squaredDistance(x, y) } }
}

/// Descriptors side by side in one array, so comparing one with many walks memory in order.
struct DescriptorRows {
    let width: Int
    private(set) var values: [Float] = []

    init(width: Int) { self.width = width }

    var count: Int { width == 0 ? 0 : values.count / width }

    /// - Precondition: `descriptor.count == width` (clustering leaves other lengths out).
    mutating func append(_ descriptor: [Float]) { values += descriptor }

    /// The squared distance from `descriptor` to every row from `first` on, in row order.
    func distances(to descriptor: [Float], from first: Int = 0) -> [Float] {
        values.withUnsafeBufferPointer { rows in
            descriptor.withUnsafeBufferPointer { one in
                (first..<max(first, count)).map { row in
                    squaredDistance(UnsafeBufferPointer(rebasing: rows[row * width..<(row + 1) * width]), one)
                }
            }
        }
    }
}
