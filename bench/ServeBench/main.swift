import Foundation
import Hummingbird
import Logging
import Search
import Server
import Store
import ViewfinderCore
import Workload

// serve-bench DOCS.jsonl DATA_FOLDER PORT: serves the shared workload's documents through the real server on
// 127.0.0.1:PORT, each document drawing a real thumbnail from an indexed catalogue in DATA_FOLDER (the demo
// library's), for bench/serve.py to measure /api/search and /thumb over loopback.

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: serve-bench DOCS.jsonl DATA_FOLDER PORT\n".utf8))
    exit(2)
}
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
let snapshot = LibrarySnapshot(engine: SearchEngine(documents: documents), root: "", entries: entries)
let library = LiveLibrary(snapshot: snapshot, store: store, renditions: renditions)
var logger = Logger(label: "serve-bench")
logger.logLevel = .warning
let server = ViewfinderServer(library: library, access: AccessPolicy(passwordHash: nil))
FileHandle.standardError.write(Data("serve-bench: \(documents.count) documents on 127.0.0.1:\(port)\n".utf8))
try await server.application(host: "127.0.0.1", port: port, logger: logger).runService()
