import Catalogue
import Dispatch
import Foundation
import People

// Clusters synthetic descriptors the way the indexer does, batch by batch, with the catalogue's part (what is
// representative, what is loose) kept in memory: the clustering's own cost, from scratch and for one batch more.
// usage: people-bench [faces] [people]

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Float {
        Float((-2 * log(max(unit(), 1e-300))).squareRoot() * cos(2 * Double.pi * unit()))
    }
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 100_000
let peopleCount = arguments.dropFirst().first ?? 2_000
var random = SplitMix(state: 42)
// Centres about 1.0 apart and faces about 0.35 from each other, as dlib's descriptors of different and same people.
let centres = (0..<peopleCount).map { _ in (0..<128).map { _ in random.gaussian() * 0.0625 } }
func face(_ photo: Int64, _ random: inout SplitMix) -> FaceRecord {
    let centre = centres[Int(random.next() % UInt64(peopleCount))]
    return FaceRecord(key: FaceKey(photoID: photo, index: 0), x: 0, y: 0, w: 0.1, h: 0.1,
                      descriptor: centre.map { $0 + random.gaussian() * 0.022 }, quality: 0.9)
}

/// The catalogue's side of clustering, in memory.
struct Ledger {
    var representatives = [FaceRecord]()
    var loose = [FaceKey: FaceRecord]()
    var assigned = 0
    var nextPerson: Int64 = 1

    mutating func apply(_ outcome: ClusteringOutcome, _ batch: [FaceKey: FaceRecord]) {
        var owner = outcome.joins
        for group in outcome.newPeople {
            for key in group { owner[key] = nextPerson }
            nextPerson += 1
        }
        assigned += owner.count
        for key in owner.keys { loose[key] = nil }
        for key in outcome.representatives {
            if var face = batch[key] ?? loose[key] { face.personID = owner[key]; representatives.append(face) }
        }
        for (key, face) in batch where owner[key] == nil { loose[key] = face }
    }
}

func run(_ faces: [FaceRecord], _ ledger: inout Ledger, _ clustering: inout FaceClustering) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for from in stride(from: 0, to: faces.count, by: ClusteringPass.batchSize) {
        let batch = Array(faces[from..<min(from + ClusteringPass.batchSize, faces.count)])
        let outcome = clustering.cluster(batch: batch, representatives: ledger.representatives, loose: Array(ledger.loose.values))
        ledger.apply(outcome, Dictionary(uniqueKeysWithValues: batch.map { ($0.key, $0) }))
    }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let library = (0..<total).map { face(Int64($0), &random) }
var ledger = Ledger()
var clustering = FaceClustering()
let scratch = run(library, &ledger, &clustering)
print(String(format: "from scratch: %d faces, %d people formed, %d faces assigned, %d loose, %.2f s, %d comparisons",
             total, ledger.nextPerson - 1, ledger.assigned, ledger.loose.count, scratch, clustering.comparisons))
let before = clustering.comparisons
let more = (0..<1_000).map { face(Int64(total + $0), &random) }
let assignedBefore = ledger.assigned
let batch = run(more, &ledger, &clustering)
print(String(format: "one batch more: 1000 faces, %d assigned, %.3f s, %d comparisons (%.0f a face)",
             ledger.assigned - assignedBefore, batch, clustering.comparisons - before, Double(clustering.comparisons - before) / 1000))
