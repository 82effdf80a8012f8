import Foundation
import ViewfinderCore

extension PerceptualHash {
    /// The side of the grey square the transform reads; the hash keeps its 8×8 lowest frequencies.
    static let side = 32
    static let kept = 8

    /// The DCT hash (pHash) of an upright, interleaved 8-bit RGB picture: grey, area-averaged to 32×32
    /// whatever its shape, a 2-D DCT, and one bit per frequency 1–8 across and down (the average, frequency 0,
    /// says only how bright the photo is): above or below their median. Measured against the difference hash
    /// on the corpus (docs/ARCHITECTURE.md, "Near-duplicates").
    public init(rgb: [UInt8], width: Int, height: Int) {
        precondition(width > 0 && height > 0 && rgb.count >= width * height * 3)
        let grey = Self.greySquare(rgb: rgb, width: width, height: height)
        let cosines = Self.cosines
        let n = Self.side, k = Self.kept
        // Rows first (frequencies 0...k across), then columns, keeping only what the hash reads.
        var across = [Double](repeating: 0, count: n * (k + 1))
        for y in 0..<n {
            for u in 0...k {
                var sum = 0.0
                for x in 0..<n { sum += grey[y * n + x] * cosines[u * n + x] }
                across[y * (k + 1) + u] = sum
            }
        }
        var frequencies = [Double]()
        frequencies.reserveCapacity(k * k)
        for v in 1...k {
            for u in 1...k {
                var sum = 0.0
                for y in 0..<n { sum += across[y * (k + 1) + u] * cosines[v * n + y] }
                frequencies.append(sum)
            }
        }
        let sorted = frequencies.sorted()
        let median = (sorted[k * k / 2 - 1] + sorted[k * k / 2]) / 2
        var bits: UInt64 = 0
        for (index, value) in frequencies.enumerated() where value > median { bits |= 1 << UInt64(index) }
        self.init(bits: bits)
    }

    /// cos(π (2x + 1) u / 2n) for u, x in 0..<n.
    private static let cosines: [Double] = {
        let n = side
        return (0..<n * n).map { i in cos(Double.pi * Double(2 * (i % n) + 1) * Double(i / n) / Double(2 * n)) }
    }()

    /// Luma (BT.601) area-averaged onto a 32×32 grid: each cell the mean of the source area it covers, fractions
    /// of pixels included, so a copy at another size lands on nearly the same values.
    static func greySquare(rgb: [UInt8], width: Int, height: Int) -> [Double] {
        let n = side
        let columns = spans(source: width, target: n), rows = spans(source: height, target: n)
        var narrow = [Double](repeating: 0, count: height * n)
        for y in 0..<height {
            for (cell, span) in columns.enumerated() {
                var sum = 0.0
                for (x, weight) in span {
                    let p = (y * width + x) * 3
                    sum += weight * (0.299 * Double(rgb[p]) + 0.587 * Double(rgb[p + 1]) + 0.114 * Double(rgb[p + 2]))
                }
                narrow[y * n + cell] = sum
            }
        }
        var square = [Double](repeating: 0, count: n * n)
        for (cell, span) in rows.enumerated() {
            for x in 0..<n {
                var sum = 0.0
                for (y, weight) in span { sum += weight * narrow[y * n + x] }
                square[cell * n + x] = sum
            }
        }
        return square
    }

    /// For each of `target` equal parts of `source` pixels, the pixels it covers and their share (summing to 1).
    private static func spans(source: Int, target: Int) -> [[(Int, Double)]] {
        (0..<target).map { cell in
            let start = Double(cell * source) / Double(target), end = Double((cell + 1) * source) / Double(target)
            var span = [(Int, Double)]()
            var pixel = Int(start)
            while Double(pixel) < end, pixel < source {
                let covered = min(end, Double(pixel + 1)) - max(start, Double(pixel))
                if covered > 0 { span.append((pixel, covered / (end - start))) }
                pixel += 1
            }
            return span
        }
    }
}

extension PerceptualHash {
    /// The hash of a stored thumbnail, for photos indexed before hashes were kept: their original need not be
    /// read, and the thumbnail is the picture a fresh index hashes, give or take its WebP encoding.
    public init(thumbnail webp: [UInt8]) throws(IndexProblem) {
        let small = try UprightDecoder(limits: IndexingLimits())
            .decode(webp, format: .webp, orientation: 1, longEdge: Thumbnailer.thumbnailEdge).picture
        self.init(rgb: try small.rgbBytes(), width: small.width, height: small.height)
    }
}
