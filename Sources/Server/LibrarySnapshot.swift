import Foundation
import Search
import Store
import ViewfinderCore

/// One photo as the pages show it in a grid: where it is, its placeholder, its content hash for cache keys.
public struct PhotoEntry: Sendable {
    public var id: Int64
    /// Relative to the library's shared folder.
    public var path: String
    public var absolutePath: String
    public var contentHash: String
    /// What the file holds, decided from its bytes.
    public var format: MediaFormat
    public var thumbhash: String?
    public var taken: String?
    public var width: Int
    public var height: Int

    public var folder: String { path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "" }

    public init(id: Int64, path: String, absolutePath: String, contentHash: String, format: MediaFormat, thumbhash: String?,
                taken: String?, width: Int, height: Int) {
        self.id = id
        self.path = path
        self.absolutePath = absolutePath
        self.contentHash = contentHash
        self.format = format
        self.thumbhash = thumbhash
        self.taken = taken
        self.width = width
        self.height = height
    }
}

/// The catalogue read once and held in memory: the search engine plus what browsing needs. Immutable, so
/// requests share it without locks; indexing builds a new one and swaps it in.
public struct LibrarySnapshot: Sendable {
    public let engine: SearchEngine
    public let root: String
    public let photos: [Int64: PhotoEntry]
    /// Photo ids in capture order, newest first (undated last), for the timeline and folder listings.
    public let newestFirst: [Int64]

    public init(_ store: PhotoStore) throws {
        let read = try SearchLibrary.read(store)
        self.init(engine: read.engine, root: read.root, records: read.rows)
    }

    public init(engine: SearchEngine, root: String, records: [PhotoRecord]) {
        self.init(engine: engine, root: root, entries: records.compactMap { record in
            record.id.map { id in
                PhotoEntry(id: id, path: String(record.path.dropFirst(root.count)), absolutePath: record.path,
                           contentHash: record.contentHash, format: MediaFormat(rawValue: record.format) ?? .jpeg, thumbhash: record.thumbhash?.base64EncodedString(),
                           taken: record.taken, width: record.width, height: record.height)
            }
        })
    }

    public init(engine: SearchEngine, root: String, entries: [PhotoEntry]) {
        self.engine = engine
        self.root = root
        let photos = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.photos = photos
        newestFirst = photos.values.sorted { a, b in
            switch (a.taken, b.taken) {
            case let (x?, y?) where x != y: x > y
            case (_?, nil): true
            case (nil, _?): false
            default: a.path < b.path
            }
        }.map(\.id)
    }
}
