import Catalogue
import Dispatch
import Duplicates
import Foundation
import ViewfinderCore

// Near pairs and groups among synthetic perceptual hashes: uniform random ones (unrelated photos) with a copy
// of every tenth a few bits away (its resized or re-encoded copy), against comparing every pair.
// usage: duplicates-bench [hashes]

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let total = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 100_000
var random = SplitMix(state: 7)
var hashes = [PerceptualHash]()
while hashes.count < total {
    let original = random.next()
    hashes.append(PerceptualHash(bits: original))
    if hashes.count % 10 == 1, hashes.count < total {
        var copy = original
        for _ in 0..<(random.next() % 7) { copy ^= 1 << (random.next() % 64) }
        hashes.append(PerceptualHash(bits: copy))
    }
}
let distance = DuplicateGroups.nearDistance

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var index: HashNeighbours!
let built = seconds { index = HashNeighbours(hashes) }
var pairs = [(first: Int, second: Int, distance: Int)]()
let paired = seconds { pairs = index.pairs(within: distance) }
print("\(total) hashes: index built in \(String(format: "%.3f", built)) s, \(pairs.count) pairs within \(distance) bits in \(String(format: "%.3f", paired)) s")

let photos = hashes.enumerated().map { index, hash in
    PhotoRecord(id: Int64(index + 1), path: "/lib/\(index).jpg", fileSize: 1000, modifiedAt: 0, sidecarModifiedAt: nil,
                contentHash: String(index), missing: false, format: "jpeg", width: 100, height: 100, orientation: 1, taken: nil,
                make: nil, model: nil, lens: nil, focalLength: nil, fNumber: nil, exposureTime: nil, iso: nil, lat: nil, lon: nil,
                alt: nil, rating: nil, description: nil, keywords: "[]", thumbhash: nil, indexedAt: 0, regions: nil,
                perceptualHash: hash.stored)
}
var groups = [DuplicateGroup]()
let grouped = seconds { groups = DuplicateGroups.find(photos) }
print("grouped into \(groups.count) near groups in \(String(format: "%.3f", grouped)) s (catalogue rows to groups)")

// Every pair, for comparison, on a tenth of the hashes (it grows with the square).
let sample = Array(hashes.prefix(total / 10))
var close = 0
let scanned = seconds {
    for i in sample.indices { for j in sample.indices where j > i && sample[i].distance(to: sample[j]) <= distance { close += 1 } }
}
print("every pair of \(sample.count): \(close) pairs in \(String(format: "%.3f", scanned)) s; of all \(total): about \(String(format: "%.1f", scanned * 100)) s")
