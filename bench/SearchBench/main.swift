import Foundation
import Search
import Workload

// search-bench DOCS.jsonl QUERIES.txt [--vectors [--clustered]] [--page] [--updates N] [--build-only]: builds the
// engine from the shared workload's documents and times every query alone, in process, asking for the top 20
// (--page: the top 30 with facets, as the web page asks). --vectors: hybrid, each photo and query with a
// 384-dimension vector (random, or --clustered around 3000 centres); prints the neighbourhoods' recall against the
// exact scan, and times the same queries on a second engine that scans exactly (every query up to 100k photos,
// every 10th beyond). --updates: then N photos changed, N added and N removed, each applied alone and timed.
// --build-only: stops after the build (its seconds and memory; --repeat N: N more builds, each timed).
// --neighbourhoods-from N: learn neighbourhoods from N rows instead of VectorIndex.scanIsFasterBelow (to find where
// the scan stops being faster). --snapshot FILE: the engine is built and saved to FILE the first time, loaded from it
// after (minutes saved at 1M when comparing builds; a loaded engine has no exact reference, recall or assign to
// report). Prints one JSON object.

func residentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0").map { $0 / 1024 } ?? 0
}

/// User and system time of every thread of the process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Pages the process has faulted in so far (each a fresh page the kernel zeroed, or one read back).
func pageFaults() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_minflt + usage.ru_majflt
}

/// CPU time of the calling thread (what a query costs, whatever else the machine's cores are doing).
func threadCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) / 1e6
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: search-bench DOCS.jsonl QUERIES.txt [--vectors] [--page] [--looks]\n".utf8))
    exit(2)
}
let withVectors = arguments.contains("--vectors")
let asThePage = arguments.contains("--page")
let snapshot = arguments.firstIndex(of: "--snapshot").map { arguments[$0 + 1] }
let saved = snapshot.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
let loadStarted = Date()
var documents = saved == nil ? try Workload.documents(arguments[1]) : []
if arguments.contains("--looks") {
    // Every photo a perceptual hash (random bits, as unrelated photos): stacking compares looks within 2 s too.
    var state: UInt64 = 42
    for index in documents.indices {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        documents[index].perceptualHash = state | 1
    }
}
let loadSeconds = Date().timeIntervalSince(loadStarted)
let rssBefore = residentMiB()
let buildStarted = Date()
let cpuBefore = cpuSeconds()
let faultsBefore = pageFaults()
var vectorIndexes = [VectorIndex]()
let model = "all-MiniLM-L6-v2"
var photoVectors = PhotoVectors(clustered: arguments.contains("--clustered"), seed: 42)
var queryVectors = PhotoVectors(clustered: arguments.contains("--clustered"), seed: 1)
var neighbourhoodsSeconds = 0.0
if withVectors && saved == nil {
    let exact = VectorIndex(model: model, vectors: documents.map { _ in photoVectors.next() }, approximateFrom: .max)
    let learnt = Date()
    let from = arguments.firstIndex(of: "--neighbourhoods-from").flatMap { Int(arguments[$0 + 1]) } ?? VectorIndex.scanIsFasterBelow
    vectorIndexes.append(exact.sharingRows(approximateFrom: from))
    neighbourhoodsSeconds = Date().timeIntervalSince(learnt)
}
let engine: SearchEngine
if let saved {
    var file = try SnapshotReader(path: saved)
    defer { file.close() }
    engine = try SearchEngine(&file)
} else {
    engine = SearchEngine(documents: documents, vectors: vectorIndexes)
    if let snapshot {
        var file = try SnapshotWriter(path: snapshot)
        try engine.save(&file)
        try file.finish()
    }
}
let buildSeconds = Date().timeIntervalSince(buildStarted)
let buildCPUSeconds = cpuSeconds() - cpuBefore
let buildPageFaults = pageFaults() - faultsBefore
// The reference: the same rows, scanned exactly at every size (sharing the arrays, not copying them).
let exactEngine = withVectors && saved == nil && !arguments.contains("--build-only") ? SearchEngine(documents: documents, vectors: vectorIndexes.map { $0.sharingRows(approximateFrom: .max) }) : nil
// --repeat N (with --build-only): N more builds from the same documents, each timed, so two binaries are compared
// by their best on a machine whose other tenants come and go.
let repeats = arguments.firstIndex(of: "--repeat").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 0
var repeatedBuilds = [[String: Double]]()
for _ in 0..<(arguments.contains("--build-only") ? repeats : 0) {
    let (started, cpuStarted, faultsStarted) = (Date(), cpuSeconds(), pageFaults())
    withExtendedLifetime(SearchEngine(documents: documents, vectors: vectorIndexes)) {}
    repeatedBuilds.append(["buildSeconds": Date().timeIntervalSince(started), "buildCPUSeconds": cpuSeconds() - cpuStarted,
                           "buildPageFaults": Double(pageFaults() - faultsStarted)])
}
let updates = arguments.firstIndex(of: "--updates").flatMap { Int(arguments[$0 + 1]) } ?? 0
// Photos spread over the library, to change and remove later.
let sample = updates == 0 ? [] : stride(from: 0, to: documents.count, by: max(1, documents.count / updates)).prefix(updates).map { documents[$0] }
documents = []
let rssAfterBuild = residentMiB()
if arguments.contains("--build-only") {
    let report: [String: Any] = ["documents": engine.photoCount, "loadSeconds": loadSeconds, "buildSeconds": buildSeconds,
                                 "buildCPUSeconds": buildCPUSeconds, "buildPageFaults": buildPageFaults,
                                 "indexBytesPerPhoto": Double(engine.memoryBytes) / Double(engine.photoCount),
                                 "residentMiBBeforeBuild": rssBefore, "residentMiBAfterBuild": rssAfterBuild, "repeatedBuilds": repeatedBuilds]
    print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
    exit(0)
}
let queries = try Workload.queries(arguments[2])
// One query first, untimed: it allocates the per-search scratch arrays the others reuse (caches warm).
_ = try? engine.search("warm up", limit: 20, facets: false)
_ = try? exactEngine?.search("warm up", limit: 20, facets: false)
var latencies = [Double](), cpuTimes = [Double]()
var timed = [(wall: Double, cpu: Double, query: String)]()
// --hits FILE: each query's page (ids, scores, how found), one line a query, to compare two builds' answers.
var pages = [String]()
let hitsFile = arguments.firstIndex(of: "--hits").map { arguments[$0 + 1] }
var empty = 0, failed = 0, guesses = 0
// The exact reference runs right after the same query, so both see the same load.
let referenceEvery = engine.photoCount > 100_000 ? 10 : 1
var referenceLatencies = [Double](), sameQueriesLatencies = [Double]()
var referenceCPU = [Double](), sameQueriesCPU = [Double]()
for (number, query) in queries.enumerated() {
    let vector: [String: [Float]] = withVectors ? [model: queryVectors.next()] : [:]
    let started = DispatchTime.now().uptimeNanoseconds
    let cpuStarted = threadCPUMilliseconds()
    do {
        let result = try engine.search(query, limit: asThePage ? 30 : 20, queryVectors: vector, facets: asThePage)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        let cpu = threadCPUMilliseconds() - cpuStarted
        cpuTimes.append(cpu)
        timed.append((latencies.last!, cpu, query))
        if hitsFile != nil {
            pages.append(query + "\t\(result.total) \(result.mightMatch)\t" + result.hits.map { "\($0.id):\($0.score):\($0.match)" }.joined(separator: " "))
        }
        if result.hits.isEmpty { empty += 1 }
        guesses += result.mightMatch
        if let exactEngine, number % referenceEvery == 0 {
            sameQueriesLatencies.append(latencies.last!)
            sameQueriesCPU.append(cpu)
            let cpuBefore = threadCPUMilliseconds()
            referenceLatencies.append(VectorMeasures.milliseconds {
                _ = try? exactEngine.search(query, limit: asThePage ? 30 : 20, queryVectors: vector, facets: asThePage)
            })
            referenceCPU.append(threadCPUMilliseconds() - cpuBefore)
        }
    } catch {
        failed += 1
    }
}
var vectorReport = [String: Any]()
if withVectors, let index = vectorIndexes.first {
    let probes = (0..<200).map { _ in queryVectors.next() }
    vectorReport = [
        "kind": photoVectors.kind, "approximate": index.isApproximate, "neighbourhoodsSeconds": neighbourhoodsSeconds,
        "neighbourhoods": index.neighbourhoodCount, "neighbourhoodsSearched": index.neighbourhoodsSearched,
        "cores": ProcessInfo.processInfo.activeProcessorCount, "guessesShown": guesses,
        "exactReference": ["every": referenceEvery, "queries": referenceLatencies.count,
                           "p50": VectorMeasures.percentile(referenceLatencies, 0.5), "p99": VectorMeasures.percentile(referenceLatencies, 0.99),
                           "approximateOnTheSameQueriesP50": VectorMeasures.percentile(sameQueriesLatencies, 0.5),
                           "approximateOnTheSameQueriesP99": VectorMeasures.percentile(sameQueriesLatencies, 0.99),
                           // The same, in CPU time of the searching thread: what the load on the machine leaves out.
                           "cpuP50": VectorMeasures.percentile(referenceCPU, 0.5), "cpuP99": VectorMeasures.percentile(referenceCPU, 0.99),
                           "approximateOnTheSameQueriesCPUP50": VectorMeasures.percentile(sameQueriesCPU, 0.5),
                           "approximateOnTheSameQueriesCPUP99": VectorMeasures.percentile(sameQueriesCPU, 0.99)],
        "nearest100": index.isApproximate ? VectorMeasures.recall(index, queries: probes, searched: [4, 8, 16, 32, 64, index.neighbourhoodsSearched]) : [:],
        "assign": index.isApproximate ? VectorMeasures.updates(index, vectors: &photoVectors) : [:],
    ]
}
if let hitsFile { try pages.joined(separator: "\n").write(toFile: hitsFile, atomically: true, encoding: .utf8) }
let sorted = latencies.sorted()
if arguments.contains("--slowest") {
    // By CPU time: the wall time of a loaded machine mostly says which query waited for a core.
    for (wall, cpu, query) in timed.sorted(by: { $0.cpu > $1.cpu }).prefix(15) {
        FileHandle.standardError.write(Data(String(format: "%8.2f ms CPU %8.2f ms wall  %@\n", cpu, wall, query).utf8))
    }
}
let percentile = { (p: Double) -> Double in sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
/// Microseconds per single-photo change: p50, p99, max.
func timedUpdates(_ make: (SearchDocument) -> EngineUpdate) -> [String: Double] {
    var times = [Double]()
    for document in sample {
        let update = make(document)
        let started = DispatchTime.now().uptimeNanoseconds
        engine.apply([update])
        times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e3)
    }
    times.sort()
    guard !times.isEmpty else { return [:] }
    return ["p50": times[times.count / 2], "p99": times[min(times.count - 1, times.count * 99 / 100)], "max": times.last!]
}
func someVector() -> [String: [Float]] {
    var random = SystemRandomNumberGenerator()
    return withVectors ? ["all-MiniLM-L6-v2": (0..<384).map { _ in Float.random(in: -1...1, using: &random) / 11 }] : [:]
}
var updateTimes = [String: [String: Double]]()
if updates > 0 {
    updateTimes["change"] = timedUpdates { document in
        var changed = document
        changed.caption += " and a red kite over the harbour"
        return .upsert(changed, vectors: someVector())
    }
    updateTimes["add"] = timedUpdates { document in
        var added = document
        added.id += 10_000_000
        return .upsert(added, vectors: someVector())
    }
    updateTimes["remove"] = timedUpdates { .remove($0.id) }
}
let report: [String: Any] = [
    "documents": engine.photoCount, "queries": queries.count, "noResult": empty, "refused": failed,
    "p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99), "max": sorted.last ?? 0,
    // Each query's thread CPU time: what it costs whatever else the machine's cores are doing.
    "cpuP50": VectorMeasures.percentile(cpuTimes, 0.5), "cpuP90": VectorMeasures.percentile(cpuTimes, 0.9),
    "cpuP99": VectorMeasures.percentile(cpuTimes, 0.99), "cpuMax": cpuTimes.max() ?? 0,
    "loadSeconds": loadSeconds, "buildSeconds": buildSeconds, "buildCPUSeconds": buildCPUSeconds, "indexBytesPerPhoto": Double(engine.memoryBytes) / Double(engine.photoCount),
    "residentMiBBeforeBuild": rssBefore, "residentMiBAfterBuild": rssAfterBuild, "residentMiBAfterRun": residentMiB(),
    "vectors": withVectors, "page": asThePage, "vectorIndex": vectorReport, "updateMicroseconds": updateTimes,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
