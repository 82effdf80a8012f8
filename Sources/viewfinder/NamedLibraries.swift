import ArgumentParser
import Catalogue
import Foundation
import Indexer

/// The named libraries mounted on this machine: `DATA/libraries` (one NAME=PATH a line, # for comments), then
/// each `--library NAME=PATH`, which wins for its name. The data folder belongs to one machine, as the roots do.
enum NamedLibraries {
    static func resolve(_ options: [String], dataFolder: String) throws -> LibraryMounts {
        var mounts = [String: String]()
        let file = dataFolder + "/libraries"
        if FileManager.default.fileExists(atPath: file) {
            // A file that cannot be read must not silently mean "no libraries": paths would be stored absolute.
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("\(file) cannot be read as text (\(error.localizedDescription)): fix or remove it")
            }
            for line in text.split(whereSeparator: \.isNewline) {
                let entry = line.trimmingCharacters(in: .whitespaces)
                guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
                let (name, root) = try parse(entry, from: file)
                mounts[name] = root
            }
        }
        for option in options {
            let (name, root) = try parse(option, from: "--library")
            mounts[name] = root
        }
        do { return try LibraryMounts(mounts) } catch { throw ValidationError("\(error)") }
    }

    /// NAME=PATH, the path as indexing records it (absolute, symbolic links resolved where it exists).
    static func parse(_ entry: String, from source: String) throws -> (String, String) {
        guard let equals = entry.firstIndex(of: "="), !entry[entry.index(after: equals)...].isEmpty else {
            throw ValidationError("\(source): '\(entry)' is not NAME=PATH")
        }
        let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
        let path = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard path.hasPrefix("/") || path.hasPrefix("~") else {
            throw ValidationError("\(source): '\(entry)' needs an absolute PATH (a root is the same folder wherever the command runs)")
        }
        return (name, LibraryIndexer.canonical((path as NSString).expandingTildeInPath))
    }
}
