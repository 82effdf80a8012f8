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

/// The catalogue held in memory: the search engine plus what browsing needs. Requests take it as a value; the
/// library applies changes to a copy and swaps it in (the engine, a class, changes in place under its own lock).
public struct LibrarySnapshot: Sendable {
    public let engine: SearchEngine
    public let root: String
    public internal(set) var photos: [Int64: PhotoEntry]
    /// Photo ids in capture order, newest first (undated last), for the timeline and folder listings.
    public internal(set) var newestFirst: [Int64]

    public init(_ store: PhotoStore, roots: [String] = []) throws {
        let read = try SearchLibrary.read(store, roots: roots)
        self.init(engine: read.engine, root: read.root, records: read.rows)
    }

    public init(engine: SearchEngine, root: String, records: [PhotoRecord]) {
        self.init(engine: engine, root: root, entries: records.compactMap { PhotoEntry($0, root: root) })
    }

    public init(engine: SearchEngine, root: String, entries: [PhotoEntry]) {
        self.init(engine: engine, root: root, photos: Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    init(engine: SearchEngine, root: String, photos: [Int64: PhotoEntry], newestFirst: [Int64]? = nil) {
        self.engine = engine
        self.root = root
        self.photos = photos
        self.newestFirst = newestFirst ?? photos.values.sorted(by: Self.newer).map(\.id)
    }

    /// Capture order, newest first; undated photos last, by path.
    static func newer(_ a: PhotoEntry, _ b: PhotoEntry) -> Bool {
        switch (a.taken, b.taken) {
        case let (x?, y?) where x != y: x > y
        case (_?, nil): true
        case (nil, _?): false
        default: a.path < b.path
        }
    }

    /// Puts changed photos in (again) and takes out every other changed id: the order is kept by one merge, not a sort
    /// of the whole library.
    mutating func apply(_ changed: [SearchablePhoto], removing ids: [Int64]) {
        let touched = Set(ids)
        for id in ids { photos[id] = nil }
        let fresh = changed.compactMap { PhotoEntry($0.photo, root: root) }.sorted(by: Self.newer)
        for entry in fresh { photos[entry.id] = entry }
        let kept = newestFirst.filter { !touched.contains($0) }
        var merged = [Int64]()
        merged.reserveCapacity(kept.count + fresh.count)
        var next = 0
        for id in kept {
            // Entries of kept ids are unchanged, so the comparison reads what the old order was made from.
            while next < fresh.count, let old = photos[id], Self.newer(fresh[next], old) {
                merged.append(fresh[next].id)
                next += 1
            }
            merged.append(id)
        }
        merged += fresh[next...].map(\.id)
        newestFirst = merged
    }
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
