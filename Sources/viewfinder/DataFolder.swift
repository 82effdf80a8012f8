import Foundation
import Store

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

/// The stores inside one data folder.
struct Library {
    let folder: String
    let store: SQLiteStore
    let renditions: SQLiteRenditionStore

    /// The search snapshot `serve` keeps, so a start loads it instead of reading the whole catalogue.
    var savedSearch: String { folder + "/search.snapshot" }

    /// - Parameter create: false for commands that only read: they never leave an empty catalogue behind.
    init(dataFolder: String, create: Bool) throws {
        folder = dataFolder
        guard create || FileManager.default.fileExists(atPath: dataFolder + "/catalogue.sqlite") else {
            throw NoCatalogue(folder: dataFolder)
        }
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: dataFolder + "/catalogue.sqlite")
        renditions = try SQLiteRenditionStore(path: dataFolder + "/thumbnails.sqlite")
    }
}
