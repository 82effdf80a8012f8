import Search
import Catalogue
import ViewfinderCore

/// The photos the pages show, kept in columns (a row per photo version: a changed photo gets a new row) so that a
/// million of them load by copying arrays, and an entry is made only when a page asks for it.
public struct PhotoDirectory: Sendable {
    var ids: [Int64] = []
    var paths = TextColumn()
    var hashes = ContentHashColumn()
    var formats = CodedColumn()
    var thumbhashes = TextColumn()
    var taken = TextColumn()
    var dated: [Bool] = []
    var widths: [Int32] = []
    var heights: [Int32] = []
    /// The row each photo id is at now.
    var rows = NumbersByID()
    /// Photo ids in capture order, newest first (undated last, by path), for the timeline and folder listings.
    public internal(set) var newestFirst: [Int64] = []
    let root: String

    init(root: String) { self.root = root }

    init(root: String, entries: [PhotoEntry]) {
        self.root = root
        for entry in entries where rows[entry.id] == nil { append(entry) }
        // Sorted arrays, not changes: a whole read is the base the changes are kept against.
        rows = NumbersByID(ids.enumerated().map { ($1, $0) })
        newestFirst = rows.all.map { entry($0.number) }.sorted(by: Self.newer).map(\.id)
    }

    public var count: Int { rows.count }

    public subscript(_ id: Int64) -> PhotoEntry? { rows[id].map(entry) }

    /// Every photo, in no particular order.
    public var values: [PhotoEntry] { rows.all.map { entry($0.number) } }

    func entry(_ row: Int) -> PhotoEntry {
        PhotoEntry(id: ids[row], path: paths[row], absolutePath: root + paths[row], contentHash: hashes[row],
                   format: MediaFormat(rawValue: formats[row]) ?? .jpeg, thumbhash: thumbhashes[row].isEmpty ? nil : thumbhashes[row],
                   taken: dated[row] ? taken[row] : nil, width: Int(widths[row]), height: Int(heights[row]))
    }

    private mutating func append(_ entry: PhotoEntry) {
        rows.set(entry.id, ids.count)
        ids.append(entry.id)
        paths.append(entry.path)
        hashes.append(entry.contentHash)
        formats.append(entry.format.rawValue)
        thumbhashes.append(entry.thumbhash ?? "")
        taken.append(entry.taken ?? "")
        dated.append(entry.taken != nil)
        widths.append(Int32(clamping: entry.width))
        heights.append(Int32(clamping: entry.height))
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

    /// Puts changed photos in (again) and takes out every other changed id: the order is kept by one merge, not a
    /// sort of the whole library.
    mutating func apply(_ changed: [SearchablePhoto], removing ids: [Int64]) {
        let touched = Set(ids)
        let kept = newestFirst.filter { !touched.contains($0) }
        for id in ids { rows.set(id, nil) }
        let fresh = changed.compactMap { PhotoEntry($0.photo, root: root) }.sorted(by: Self.newer)
        for entry in fresh { append(entry) }
        var merged = [Int64]()
        merged.reserveCapacity(kept.count + fresh.count)
        var next = 0
        for id in kept {
            if next < fresh.count, let old = self[id] {
                while next < fresh.count, Self.newer(fresh[next], old) {
                    merged.append(fresh[next].id)
                    next += 1
                }
            }
            merged.append(id)
        }
        merged += fresh[next...].map(\.id)
        newestFirst = merged
    }
}
