import Foundation
import Search
import Catalogue
import ViewfinderCore

/// The library snapshot as saved in the data folder: the catalogue and change it reflects, the photo entries
/// pages show, and the search engine, in one file (see `SnapshotWriter` for how a save stays whole).
enum SavedLibrary {
    /// 2: content hashes as bytes; 3: text columns' ends counted per block of rows, rows in 4 bytes.
    static let version = 3

    static func save(_ snapshot: LibrarySnapshot, mark: ChangeMark, to path: String) throws {
        var file = try SnapshotWriter(path: path)
        do {
            try file.array("library.version", [version])
            try file.strings("library.catalogue", [mark.catalogue, snapshot.root])
            try file.array("library.seq", [mark.seq])
            try snapshot.photos.save(&file)
            try snapshot.engine.save(&file)
            try file.finish()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// The saved snapshot and where it stands in the change log; refused when it is of another catalogue. With
    /// `vectorsLater` the engine comes without its vectors and the file is returned open at them, for
    /// `SearchEngine.readVectors` (which the caller must call, then close the file).
    static func load(_ path: String, catalogue: String, vectorsLater: Bool = false) throws -> (LibrarySnapshot, ChangeMark, SnapshotReader?) {
        var file = try SnapshotReader(path: path)
        var handedOver = false
        defer { if !handedOver { file.close() } }
        guard try file.array("library.version", of: Int.self) == [version] else { throw SnapshotError(description: "\(path) is of another version") }
        let names = try file.strings("library.catalogue")
        let seq = try file.array("library.seq", of: Int64.self)
        guard names.count == 2, seq.count == 1 else { throw SnapshotError(description: "\(path) is damaged") }
        guard names[0] == catalogue else { throw SnapshotError(description: "\(path) was made from another catalogue") }
        let photos = try PhotoDirectory(&file, root: names[1])
        let engine = try SearchEngine(withoutVectors: &file)
        if !vectorsLater { try engine.readVectors(&file) }
        handedOver = vectorsLater
        return (LibrarySnapshot(engine: engine, photos: photos), ChangeMark(catalogue: catalogue, seq: seq[0]), vectorsLater ? file : nil)
    }
}

extension PhotoDirectory {
    func save(_ file: inout SnapshotWriter) throws {
        try file.array("photos.ids", ids)
        for (name, column) in [("paths", paths), ("thumbhashes", thumbhashes), ("taken", taken)] {
            try file.column("photos." + name, column)
        }
        try hashes.save(&file, "photos.hashes")
        try file.column("photos.formats", formats)
        try file.array("photos.dated", dated)
        try file.array("photos.widths", widths)
        try file.array("photos.heights", heights)
        try rows.save(&file, "photos.rows")
        try file.array("photos.newestFirst", newestFirst)
    }

    init(_ file: inout SnapshotReader, root: String) throws {
        self.root = root
        func text(_ name: String) throws -> TextColumn { try file.textColumn("photos." + name) }
        ids = try file.array("photos.ids")
        paths = try text("paths")
        thumbhashes = try text("thumbhashes")
        taken = try text("taken")
        hashes = try ContentHashColumn(&file, "photos.hashes")
        formats = try file.codedColumn("photos.formats")
        dated = try file.array("photos.dated")
        widths = try file.array("photos.widths")
        heights = try file.array("photos.heights")
        let count = ids.count
        guard [paths, thumbhashes, taken].allSatisfy({ $0.count == count && $0.isWhole }), hashes.count == count, formats.count == count, formats.isWhole,
              [dated.count, widths.count, heights.count].allSatisfy({ $0 == count }) else {
            throw SnapshotError(description: "the saved photo entries disagree in number")
        }
        rows = try NumbersByID(&file, "photos.rows", below: count)
        newestFirst = try file.array("photos.newestFirst")
        guard newestFirst.count == rows.count else {
            throw SnapshotError(description: "the saved photo order names photos it does not hold")
        }
    }
}
