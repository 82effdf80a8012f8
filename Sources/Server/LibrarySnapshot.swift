import Foundation
import Search
import Catalogue
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

/// The catalogue held in memory: the search engine plus what browsing needs. Requests take it as a value; the
/// library applies changes to a copy and swaps it in (the engine, a class, changes in place under its own lock).
public struct LibrarySnapshot: Sendable {
    public let engine: SearchEngine
    public let root: String
    public internal(set) var photos: PhotoDirectory

    /// Photo ids in capture order, newest first (undated last), for the timeline and folder listings.
    public var newestFirst: [Int64] { photos.newestFirst }

    public init(_ store: PhotoStore, roots: [String] = []) throws {
        let read = try SearchLibrary.read(store, roots: roots)
        self.init(engine: read.engine, root: read.root, records: read.rows)
    }

    public init(engine: SearchEngine, root: String, records: [PhotoRecord]) {
        self.init(engine: engine, root: root, entries: records.compactMap { PhotoEntry($0, root: root) })
    }

    public init(engine: SearchEngine, root: String, entries: [PhotoEntry]) {
        self.init(engine: engine, photos: PhotoDirectory(root: root, entries: entries))
    }

    init(engine: SearchEngine, photos: PhotoDirectory) {
        self.engine = engine
        root = photos.root
        self.photos = photos
    }

    mutating func apply(_ changed: [SearchablePhoto], removing ids: [Int64]) { photos.apply(changed, removing: ids) }
}

extension PhotoEntry {
    /// A catalogued photo as the pages show it; nil for a record not yet stored (no id).
    init?(_ record: PhotoRecord, root: String) {
        guard let id = record.id else { return nil }
        self.init(id: id, path: String(record.path.dropFirst(root.count)), absolutePath: record.path, contentHash: record.contentHash,
                  format: MediaFormat(rawValue: record.format) ?? .jpeg, thumbhash: record.thumbhash?.base64EncodedString(),
                  taken: record.taken, width: record.width, height: record.height)
    }
}
