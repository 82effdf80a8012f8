import Foundation
import Hummingbird
import Logging
import Search
import Server
import Catalogue
import SQLiteCatalogue
import ViewfinderCore
import Vision
import Workload

// serve-bench DOCS.jsonl DATA_FOLDER PORT [up|stopped|restarting]: serves the shared workload's documents through
// the real server on 127.0.0.1:PORT, each document drawing a real thumbnail from an indexed catalogue in
// DATA_FOLDER (the demo library's), for bench/serve.py to measure /api/search and /thumb over loopback. With a
// worker state, documents get vectors and queries ask a stand-in model worker for theirs: `up` answers in 5 ms
// (a running CPU worker), `stopped` fails at once (it cannot start), `restarting` takes 30 s per call (the
// worker's longest back-off after a crash).

/// The query worker in one of its states, without Python: the server sees only the VisionService it is given.
struct StandInWorker: VisionService {
    let state: String
    let dimensions: Int
    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] { [] }
    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] {
        switch state {
        case "stopped": throw VisionError("cannot start the model worker", unavailable: true)
        case "restarting": Thread.sleep(forTimeInterval: 30)
        default: Thread.sleep(forTimeInterval: 0.005)
        }
        return ["clip": texts.map { text in (0..<dimensions).map { Float(($0 * 31 + text.count) % 17) - 8 } }]
    }
    var models: [String] { ["clip"] }
    func shutdown() {}
}

let arguments = CommandLine.arguments
let workerStates = ["up", "stopped", "restarting"]
guard arguments.count == 4 || (arguments.count == 5 && workerStates.contains(arguments[4])), let port = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: serve-bench DOCS.jsonl DATA_FOLDER PORT [up|stopped|restarting]\n".utf8))
    exit(2)
}
let workerState = arguments.count == 5 ? arguments[4] : nil
let documents = try Workload.documents(arguments[1])
let store = try SQLiteStore(path: arguments[2] + "/catalogue.sqlite")
let renditions = try SQLiteRenditionStore(path: arguments[2] + "/thumbnails.sqlite")
let real = try store.searchablePhotos().map(\.photo)
guard !real.isEmpty else { fatalError("no photos in \(arguments[2]): index the demo library there first") }
let entries = documents.enumerated().map { number, document in
    let photo = real[number % real.count]
    return PhotoEntry(id: document.id, path: document.path, absolutePath: photo.path, contentHash: photo.contentHash,
                      format: MediaFormat(rawValue: photo.format) ?? .jpeg,
                      thumbhash: photo.thumbhash?.base64EncodedString(), taken: document.taken, width: document.width,
                      height: document.height)
}
let dimensions = 64
var vectors = [VectorIndex]()
if workerState != nil {
    var generator = SystemRandomNumberGenerator()
    vectors = [VectorIndex(model: "clip", vectors: documents.map { _ in (0..<dimensions).map { _ in Float.random(in: -1...1, using: &generator) } })]
}
let snapshot = LibrarySnapshot(engine: SearchEngine(documents: documents, vectors: vectors), root: "", entries: entries)
let meaning = workerState.map { state in QueryMeaning { StandInWorker(state: state, dimensions: dimensions) } }
let library = LiveLibrary(snapshot: snapshot, store: store, renditions: renditions, meaning: meaning)
var logger = Logger(label: "serve-bench")
logger.logLevel = .warning
let server = ViewfinderServer(library: library, access: AccessPolicy(passwordHash: nil))
FileHandle.standardError.write(Data("serve-bench: \(documents.count) documents on 127.0.0.1:\(port)\n".utf8))
try await server.application(host: "127.0.0.1", port: port, logger: logger).runService()
