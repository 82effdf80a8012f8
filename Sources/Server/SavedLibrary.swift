import Foundation
import Search
import Store
import ViewfinderCore

/// The library snapshot as saved in the data folder: the catalogue and change it reflects, the photo entries
/// pages show, and the search engine, in one file (see `SnapshotWriter` for how a save stays whole).
enum SavedLibrary {
    static let version = 1

    static func save(_ snapshot: LibrarySnapshot, mark: ChangeMark, to path: String) throws {
        var file = try SnapshotWriter(path: path)
        try file.array("library.version", [version])
        try file.strings("library.catalogue", [mark.catalogue, snapshot.root])
        try file.array("library.seq", [mark.seq])
        let entries = Array(snapshot.photos.values)
        try file.array("photos.ids", entries.map(\.id))
        try file.strings("photos.paths", entries.map(\.path))
        try file.strings("photos.hashes", entries.map(\.contentHash))
        try file.strings("photos.formats", entries.map(\.format.rawValue))
        try file.strings("photos.thumbhashes", entries.map { $0.thumbhash ?? "" })
        try file.strings("photos.taken", entries.map { $0.taken ?? "" })
        try file.array("photos.dated", entries.map { $0.taken != nil })
        try file.array("photos.widths", entries.map { Int32(clamping: $0.width) })
        try file.array("photos.heights", entries.map { Int32(clamping: $0.height) })
        try file.array("photos.newestFirst", snapshot.newestFirst)
        try snapshot.engine.save(&file)
        try file.finish()
    }

    /// The saved snapshot and where it stands in the change log; refused when it is of another catalogue.
    static func load(_ path: String, catalogue: String) throws -> (LibrarySnapshot, ChangeMark) {
        var file = try SnapshotReader(path: path)
        defer { file.unmap() }
        guard try file.array("library.version", of: Int.self) == [version] else { throw SnapshotError(description: "\(path) is of another version") }
        let names = try file.strings("library.catalogue")
        let seq = try file.array("library.seq", of: Int64.self)
        guard names.count == 2, seq.count == 1 else { throw SnapshotError(description: "\(path) is damaged") }
        guard names[0] == catalogue else { throw SnapshotError(description: "\(path) was made from another catalogue") }
        let root = names[1]
        let ids = try file.array("photos.ids", of: Int64.self)
        let paths = try file.strings("photos.paths")
        let hashes = try file.strings("photos.hashes")
        let formats = try file.strings("photos.formats")
        let thumbhashes = try file.strings("photos.thumbhashes")
        let taken = try file.strings("photos.taken")
        let dated = try file.array("photos.dated", of: Bool.self)
        let widths = try file.array("photos.widths", of: Int32.self)
        let heights = try file.array("photos.heights", of: Int32.self)
        let newestFirst = try file.array("photos.newestFirst", of: Int64.self)
        guard [paths.count, hashes.count, formats.count, thumbhashes.count, taken.count, dated.count, widths.count, heights.count,
               newestFirst.count].allSatisfy({ $0 == ids.count }) else {
            throw SnapshotError(description: "\(path) is damaged: its photo entries disagree in number")
        }
        var photos = [Int64: PhotoEntry](minimumCapacity: ids.count)
        for index in ids.indices {
            photos[ids[index]] = PhotoEntry(id: ids[index], path: paths[index], absolutePath: root + paths[index], contentHash: hashes[index],
                                            format: MediaFormat(rawValue: formats[index]) ?? .jpeg,
                                            thumbhash: thumbhashes[index].isEmpty ? nil : thumbhashes[index],
                                            taken: dated[index] ? taken[index] : nil, width: Int(widths[index]), height: Int(heights[index]))
        }
        guard photos.count == ids.count, newestFirst.allSatisfy({ photos[$0] != nil }) else {
            throw SnapshotError(description: "\(path) is damaged: its order names photos it does not hold")
        }
        let engine = try SearchEngine(&file)
        return (LibrarySnapshot(engine: engine, root: root, photos: photos, newestFirst: newestFirst), ChangeMark(catalogue: catalogue, seq: seq[0]))
    }
}
