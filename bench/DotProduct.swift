// The float-of-int8 dot product two ways, standalone: swiftc -O bench/DotProduct.swift -o /tmp/dot && /tmp/dot
// A is what QuantisedRows did first (the stdlib SIMD16 conversion, a call per 16 bytes); B sign-extends bytes with
// shifts, what `QuantisedRows.similarity(QueryLanes, _)` does now.
import Foundation

let dims = 384, rows = 100_000
var rng = SystemRandomNumberGenerator()
let values: [Int8] = (0..<(dims * rows)).map { _ in Int8.random(in: -127...127, using: &rng) }
let query: [Float] = (0..<dims).map { _ in Float.random(in: -1...1, using: &rng) }

// A: the stdlib's SIMD16<Int8> -> SIMD16<Float>, as QuantisedRows did first.
let chunks = (0..<(dims / 16)).map { SIMD16<Float>(query[($0 * 16)..<($0 * 16 + 16)]) }
@inline(never) func dotA(_ base: UnsafeRawPointer, _ chunks: UnsafeBufferPointer<SIMD16<Float>>) -> Float {
    var even = SIMD16<Float>.zero, odd = SIMD16<Float>.zero
    var chunk = 0
    while chunk + 1 < chunks.count {
        even += SIMD16<Float>(base.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD16<Int8>.self)) * chunks[chunk]
        odd += SIMD16<Float>(base.loadUnaligned(fromByteOffset: chunk * 16 + 16, as: SIMD16<Int8>.self)) * chunks[chunk + 1]
        chunk += 2
    }
    return (even + odd).sum()
}

// B: 16 bytes read as four 32-bit lanes, each byte sign-extended by shifts; query lanes permuted to match.
// permuted[chunk*4 + k][i] = query[chunk*16 + 4i + k]
let permuted: [SIMD4<Float>] = (0..<(dims / 16)).flatMap { chunk in
    (0..<4).map { k in SIMD4<Float>((0..<4).map { i in query[chunk * 16 + 4 * i + k] }) }
}
@inline(__always) func float4(_ v: SIMD4<Int32>) -> SIMD4<Float> { SIMD4<Float>(v) }
@inline(never) func dotB(_ base: UnsafeRawPointer, _ lanes: UnsafeBufferPointer<SIMD4<Float>>, _ whole: Int) -> Float {
    var a = SIMD4<Float>.zero, b = SIMD4<Float>.zero, c = SIMD4<Float>.zero, d = SIMD4<Float>.zero
    for chunk in 0..<whole {
        let v = base.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD4<Int32>.self)
        a += float4((v &<< 24) &>> 24) * lanes[chunk * 4]
        b += float4((v &<< 16) &>> 24) * lanes[chunk * 4 + 1]
        c += float4((v &<< 8) &>> 24) * lanes[chunk * 4 + 2]
        d += float4(v &>> 24) * lanes[chunk * 4 + 3]
    }
    return ((a + b) + (c + d)).sum()
}

// Reference in Double, one row.
func reference(_ row: Int) -> Double { (0..<dims).reduce(0.0) { $0 + Double(values[row * dims + $1]) * Double(query[$1]) } }

func time(_ name: String, _ body: (UnsafeRawPointer) -> Float) {
    values.withUnsafeBytes { raw in
        var sum: Float = 0
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for row in 0..<rows { sum += body(raw.baseAddress! + row * dims) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rows))
        }
        print(name, String(format: "%.1f ns/row", best), "row 7:", body(raw.baseAddress! + 7 * dims), "ref", reference(7), sum == 0 ? "" : "")
    }
}
chunks.withUnsafeBufferPointer { c in time("A stdlib SIMD16 convert") { dotA($0, c) } }
permuted.withUnsafeBufferPointer { p in time("B shifts, SIMD4") { dotB($0, p, dims / 16) } }
