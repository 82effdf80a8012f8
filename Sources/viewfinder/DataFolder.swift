import ArgumentParser
import Foundation
import Catalogue
import PostgresCatalogue
import SQLiteCatalogue

struct NoCatalogue: Error, CustomStringConvertible {
    var folder: String
    var description: String { "no catalogue in \(folder) yet: run `viewfinder index FOLDER` first (or pass --data)" }
}

/// Where the catalogue lives: --data, else $VIEWFINDER_DATA, else the XDG data folder.
enum DataFolder {
    static func resolve(_ option: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let option, !option.isEmpty { return option }
        if let folder = environment["VIEWFINDER_DATA"], !folder.isEmpty { return folder }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/viewfinder" }
        return NSHomeDirectory() + "/.local/share/viewfinder"
    }
}

/// Which catalogue: --store, else $VIEWFINDER_STORE, else nil (SQLite in the data folder).
enum StoreLocation {
    static func resolve(_ option: String?) throws -> String? {
        let value = option ?? ProcessInfo.processInfo.environment["VIEWFINDER_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let value else { return nil }
        guard PostgresAddress.isPostgres(value) else {
            let shown = value.contains("@") ? "a URL of another kind" : "'\(value)'"
            throw ValidationError("--store takes a postgresql:// URL, not \(shown) (SQLite lives in the data folder: use --data)")
        }
        return value
    }
}

/// The catalogue and renditions: SQLite files in the data folder, or a PostgreSQL database. The data folder
/// also keeps what belongs to one machine (the saved search snapshot, the crash log, the model worker's files).
struct Library {
    let folder: String
    let store: PhotoStore
    let renditions: RenditionStore
    /// The embedded stores, when the catalogue is SQLite: backup copies their files.
    let embedded: (store: SQLiteStore, renditions: SQLiteRenditionStore)?
    /// Where the catalogue is, for messages: the data folder or the URL without its password.
    let location: String

    /// The search snapshot `serve` keeps, so a start loads it instead of reading the whole catalogue.
    var savedSearch: String { folder + "/search.snapshot" }

    /// - Parameter create: false for commands that only read: they never leave an empty catalogue behind.
    /// - Parameter mounts: where named libraries are on this machine; paths below them are kept relative.
    init(dataFolder: String, store url: String?, mounts: LibraryMounts, create: Bool) throws {
        folder = dataFolder
        let catalogue = try Self.open(dataFolder: dataFolder, store: url, create: create)
        (renditions, embedded, location) = (catalogue.renditions, catalogue.embedded, catalogue.location)
        // Wrapped even with no library named here: jobs of libraries named on other machines must not be taken for
        // vanished files.
        store = MountedCatalogue(catalogue.store, mounts: mounts)
    }

    private static func open(dataFolder: String, store url: String?, create: Bool) throws
        -> (store: PhotoStore, renditions: RenditionStore, embedded: (store: SQLiteStore, renditions: SQLiteRenditionStore)?, location: String) {
        if let url {
            try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
            let shared = try PostgresStore(url: url)
            return (shared, PostgresRenditionStore(shared), nil, shared.display)
        }
        guard create || FileManager.default.fileExists(atPath: dataFolder + "/catalogue.sqlite") else {
            throw NoCatalogue(folder: dataFolder)
        }
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        let local = (try SQLiteStore(path: dataFolder + "/catalogue.sqlite"), try SQLiteRenditionStore(path: dataFolder + "/thumbnails.sqlite"))
        return (local.0, local.1, local, dataFolder)
    }
}
