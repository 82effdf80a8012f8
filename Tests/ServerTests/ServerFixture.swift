import Foundation
import Hummingbird
import HummingbirdTesting
import Indexer
import Server
import Catalogue
import SQLiteCatalogue
import TestSupport
import XCTest

/// A small real library (corpus photos in two folders: a Canon, a Nikon with GPS, a PNG, another Canon), indexed without the AI models, behind a server.
final class ServerFixture: @unchecked Sendable {
    let scratch: ScratchFolder
    let library: LiveLibrary
    let photos: [String: Int64]

    var root: String { scratch.path + "/library" }

    init() throws {
        let (content, reason) = Corpus.folder("content")
        guard let content else { throw XCTSkip(reason) }
        let (gps, gpsReason) = Corpus.folder("exif/gps")
        guard let gps else { throw XCTSkip(gpsReason) }
        scratch = try ScratchFolder("server")
        try scratch.copy([content.appendingPathComponent("dk-dog.jpg"), gps.appendingPathComponent("es-DSCN0025.jpg")], into: "library/2019")
        // A broken file too: the status page names it with its reason.
        if let malformed = Corpus.folder("malformed").url {
            try scratch.copy([malformed.appendingPathComponent("derived-zero_bytes.jpg")], into: "library/2019")
        }
        try scratch.copy(["ski-coffee.png", "es-canon-ixus.jpg"].map { content.appendingPathComponent($0) }, into: "library/2020/trip")
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let renditions = try SQLiteRenditionStore(path: scratch.path + "/thumbnails.sqlite")
        _ = try LibraryIndexer(store: store, renditions: renditions).run(roots: [scratch.path + "/library"])
        library = try LiveLibrary(store: store, renditions: renditions)
        var photos = [String: Int64]()
        for entry in library.snapshot.photos.values { photos[(entry.path as NSString).lastPathComponent] = entry.id }
        self.photos = photos
    }

    func id(_ name: String) -> Int64 { photos[name] ?? -1 }

    func test(password: String? = nil, network: NetworkPolicy = NetworkPolicy(), library: LiveLibrary? = nil, live: Bool = false,
              _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let access = AccessPolicy(passwordHash: password.map { AccessPolicy.hash($0) })
        let server = ViewfinderServer(library: library ?? self.library, access: access, network: network)
        let app = Application(router: try server.router(logRequests: .debug),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(live ? .live : .router, body)
    }

    deinit { scratch.remove() }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }
}
