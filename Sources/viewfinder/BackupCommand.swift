import ArgumentParser
import Foundation
import Indexer
import Catalogue
import SQLiteCatalogue

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the catalogue (and thumbnails) consistently into a folder, even while other commands run.",
        discussion: """
            Uses SQLite's online backup: the copy is one moment of the catalogue, whatever `serve` or `index`
            are writing meanwhile, and an interrupted backup leaves the previous copy in place. The source is
            checked first (PRAGMA quick_check): a damaged catalogue is not copied over a good backup.

            To restore: stop every Viewfinder process, delete the data folder's catalogue.sqlite-wal,
            catalogue.sqlite-shm, thumbnails.sqlite-wal and thumbnails.sqlite-shm (a log left by the old files
            would be applied to the restored ones and damage them), then copy the backup's two files into the
            data folder; or simply run with --data DEST. Indexing after a restore brings the catalogue up to
            date with the folders.

            Examples:
              viewfinder backup /mnt/backup/viewfinder
              viewfinder backup --json /mnt/backup/viewfinder | jq .photos
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Folder to write catalogue.sqlite and thumbnails.sqlite into (made if missing).", completion: .directory)
    var destination: String

    @Flag(name: .long, help: "Print {\"folder\", \"photos\", \"files\", \"seconds\"} as JSON.")
    var json = false

    struct Output: Encodable {
        var folder: String
        var photos: Int
        var files: [String]
        var seconds: Double
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let started = Date()
        guard LibraryIndexer.canonical(destination) != LibraryIndexer.canonical(library.folder) else {
            throw ValidationError("the backup folder is the data folder itself: choose another folder")
        }
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        guard let embedded = library.embedded else {
            throw ValidationError("""
                the catalogue is in PostgreSQL (\(library.location)): back it up with pg_dump, or copy it into a data \
                folder with `viewfinder migrate --from \(library.location) --to FOLDER`
                """)
        }
        var files = [String]()
        if let damage = try embedded.store.quickCheck() {
            throw StoreFailure(kind: .damaged, file: embedded.store.path, detail: damage)
        }
        for (name, copy) in [("catalogue.sqlite", embedded.store.backup), ("thumbnails.sqlite", embedded.renditions.backup)] {
            try copy(destination + "/" + name)
            files.append(destination + "/" + name)
        }
        let copy = try SQLiteStore(path: destination + "/catalogue.sqlite")
        let output = Output(folder: destination, photos: try copy.status().photos, files: files,
                            seconds: Date().timeIntervalSince(started))
        if json { return try JSONOutput.print(output) }
        print(String(format: "backed up %d photos to %@ in %.1f s", output.photos, destination, output.seconds))
    }
}

