import Catalogue
import Dispatch
import Foundation
import People

// Clusters synthetic descriptors the way the indexer does, batch by batch, with the known faces (people and loose
// faces) kept in memory between batches as ClusteringPass keeps them: the clustering's own cost, from scratch and
// for one batch more, and how far the cells' answer agrees with comparing every known face.
// usage: people-bench [faces] [people] [--strangers PERCENT] [--probes PEOPLE LOOSE] [--exact]

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

let options = Array(CommandLine.arguments.dropFirst())
let numbers = options.enumerated().filter { $0.offset == 0 || !["--strangers", "--probes"].contains(options[$0.offset - 1])
    && ($0.offset < 2 || options[$0.offset - 2] != "--probes") }.compactMap { Int($0.element) }
let total = numbers.first ?? 100_000
let peopleCount = numbers.dropFirst().first ?? 2_000
let strangers = options.firstIndex(of: "--strangers").flatMap { Double(options[$0 + 1]) }.map { $0 / 100 } ?? 0
let exact = options.contains("--exact")
let probes = options.firstIndex(of: "--probes").map { (Int(options[$0 + 1])!, Int(options[$0 + 2])!) }
    ?? (KnownFaces.peopleProbes, KnownFaces.looseProbes)
var random = SplitMix(state: 42)
// Centres about 1.0 apart and faces about 0.35 from each other, as dlib's descriptors of different and same people;
// a stranger is a person of its own, seen once.
func centre(_ random: inout SplitMix) -> [Float] { (0..<128).map { _ in random.gaussian() * 0.0625 } }
let centres = (0..<peopleCount).map { _ in centre(&random) }
func face(_ photo: Int64, _ random: inout SplitMix) -> FaceRecord {
    let around = random.unit() < strangers ? centre(&random) : centres[Int(random.next() % UInt64(peopleCount))]
    return FaceRecord(key: FaceKey(photoID: photo, index: 0), x: 0, y: 0, w: 0.1, h: 0.1,
                      descriptor: around.map { $0 + random.gaussian() * 0.022 }, quality: 0.9)
}

/// Who each face went to, the catalogue's side of an outcome.
struct Ledger {
    var owner = [FaceKey: Int64]()
    var nextPerson: Int64 = 1

    mutating func apply(_ outcome: ClusteringOutcome) -> [Int64] {
        for (key, person) in outcome.joins { owner[key] = person }
        return outcome.newPeople.map { group in
            for key in group { owner[key] = nextPerson }
            nextPerson += 1
            return nextPerson - 1
        }
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Clusters `faces` a batch at a time; returns wall and CPU seconds.
func run(_ faces: [FaceRecord], _ known: inout KnownFaces, _ ledger: inout Ledger, _ clustering: inout FaceClustering)
    -> (wall: Double, cpu: Double) {
    let start = DispatchTime.now().uptimeNanoseconds, cpu = cpuSeconds()
    for from in stride(from: 0, to: faces.count, by: ClusteringPass.batchSize) {
        let batch = Array(faces[from..<min(from + ClusteringPass.batchSize, faces.count)])
        let outcome = clustering.cluster(batch: batch, against: &known)
        known.record(outcome, batch: batch, formed: ledger.apply(outcome))
    }
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds() - cpu)
}

let library = (0..<total).map { face(Int64($0), &random) }
let more = (0..<ClusteringPass.batchSize).map { face(Int64(total + $0), &random) }

/// Clusters the library from scratch, then one batch more, printing what each cost.
func measure(exact: Bool) -> Ledger {
    var known = KnownFaces(representatives: [], loose: [], exact: exact, probes: probes), ledger = Ledger(), clustering = FaceClustering()
    let scratch = run(library, &known, &ledger, &clustering)
    let name = exact ? "exact" : "cells"
    print(String(format: "%@ from scratch: %d faces (%.0f%% strangers), %d people formed, %d faces assigned, %.2f s wall, %.2f s CPU, %d comparisons",
                 name, total, strangers * 100, ledger.nextPerson - 1, ledger.owner.count, scratch.wall, scratch.cpu, clustering.comparisons))
    let before = clustering.comparisons, assigned = ledger.owner.count
    let batch = run(more, &known, &ledger, &clustering)
    print(String(format: "%@ one batch more: %d faces, %d assigned, %.3f s, %d comparisons (%.0f a face)", name, more.count,
                 ledger.owner.count - assigned, batch.wall, clustering.comparisons - before, Double(clustering.comparisons - before) / Double(more.count)))
    return ledger
}

/// The share of faces whose person holds exactly the same faces in both (or who are nobody's in both).
func agreement(_ a: Ledger, _ b: Ledger) -> Double {
    let keys = (library + more).map(\.key)
    func members(_ ledger: Ledger) -> [Int64: Int] { Dictionary(ledger.owner.values.map { ($0, 1) }, uniquingKeysWith: +) }
    let sizeA = members(a), sizeB = members(b)
    var both = [Pair: Int]()
    for key in keys { if let x = a.owner[key], let y = b.owner[key] { both[Pair(a: x, b: y), default: 0] += 1 } }
    let agreeing = keys.filter { key in
        switch (a.owner[key], b.owner[key]) {
        case (nil, nil): true
        case let (x?, y?): both[Pair(a: x, b: y)] == sizeA[x] && sizeA[x] == sizeB[y]
        default: false
        }
    }
    return Double(agreeing.count) / Double(keys.count)
}

struct Pair: Hashable { var a, b: Int64 }

let cells = measure(exact: false)
if exact {
    let every = measure(exact: true)
    print(String(format: "agreement with the exact method: %.4f of %d faces", agreement(cells, every), total + more.count))
}
