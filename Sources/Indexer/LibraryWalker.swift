import Foundation
import Media
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// A candidate photo found on disk, with what a rescan compares: size and times, no content.
public struct WalkedFile: Sendable, Equatable {
    public var path: String
    public var fileSize: Int64
    /// Nanoseconds since 1970.
    public var modifiedAt: Int64
    /// Modification time of its XMP sidecar (`photo.jpg.xmp` or `photo.xmp`), if it has one.
    public var sidecarModifiedAt: Int64?
}

/// A folder whose listing failed: nothing below it may be taken as deleted.
public struct UnreadableFolder: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }

    /// Whether `file` lies below this folder.
    func holds(_ file: String) -> Bool { file.hasPrefix(path.hasSuffix("/") ? path : path + "/") }
}

/// Walks library folders with readdir and one stat per file. Follows symbolic links but never into a
/// folder it has already seen (loops, bind mounts), and skips the folders NAS systems fill with their own files.
public struct LibraryWalker: Sendable {
    /// Folder and file names skipped everywhere: hidden files, Synology and QNAP thumbnail and recycle folders.
    public static let defaultExcludes = [".*", "@eaDir", "#recycle", "#snapshot", "@Recycle", ".@__thumb"]

    /// Patterns matched against a file or folder name, and those (with a `/`) against its path below the root.
    let namePatterns: [[CChar]]
    let pathPatterns: [[CChar]]

    public init(excludes: [String] = []) {
        let patterns = Self.defaultExcludes + excludes
        namePatterns = patterns.filter { !$0.contains("/") }.map { Array($0.utf8CString) }
        pathPatterns = patterns.filter { $0.contains("/") }.map { Array($0.utf8CString) }
    }

    /// Calls `found` for every candidate photo below `root` (and `folder` for every folder, the root
    /// included); returns folders that could not be read, the root too when it is missing.
    @discardableResult
    public func walk(_ root: String, folder visitFolder: (String) -> Void = { _ in },
                     found: (WalkedFile) -> Void) -> [UnreadableFolder] {
        var unreadable = [UnreadableFolder]()
        var visited = Set<FolderIdentity>()
        var folders = [root]
        var info = stat()
        if FileSystemPath.withCString(root, { stat($0, &info) }) == 0 { visited.insert(FolderIdentity(info)) }
        while let folder = folders.popLast() {
            visitFolder(folder)
            guard let directory = FileSystemPath.withCString(folder, { opendir($0) }) else {
                unreadable.append(UnreadableFolder(path: folder, reason: String(cString: strerror(errno))))
                continue
            }
            defer { closedir(directory) }
            let descriptor = dirfd(directory)
            var photos = [(name: String, size: Int64, modified: Int64)]()
            var sidecars = [String: Int64]()
            var listingError: Int32 = 0
            while true {
                // readdir's end and its failure look alike but for errno (an I/O error on a dying disk or share).
                errno = 0
                guard let entry = readdir(directory) else {
                    listingError = errno
                    break
                }
                // Names are matched as the C strings readdir gives: a rescan checks every entry.
                let skip = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    let cName = raw.bindMemory(to: CChar.self).baseAddress!
                    return (cName[0] == 46 && (cName[1] == 0 || (cName[1] == 46 && cName[2] == 0))) || isExcluded(cName)
                }
                if skip { continue }
                // The name's bytes as they are: a Latin-1 name stays that name (see FileSystemPath).
                let name = FileSystemPath.string(withUnsafeBytes(of: entry.pointee.d_name) { raw in raw.prefix { $0 != 0 } })
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                if !pathPatterns.isEmpty, isExcluded(relativePath: String(path.dropFirst(root.count).drop { $0 == "/" })) {
                    continue
                }
                let type = entry.pointee.d_type
                let dot = name.lastIndex(of: ".")
                let ext = dot.map { name[name.index(after: $0)...].lowercased() } ?? ""
                let isDirectoryCandidate = type == DT_DIR || type == DT_LNK || type == DT_UNKNOWN
                let isFileCandidate = ext == "xmp" || FormatSniffer.photoExtensions.contains(ext)
                    || FormatSniffer.videoExtensions.contains(ext)
                guard isDirectoryCandidate || isFileCandidate else { continue }
                guard FileSystemPath.withCString(name, { fstatat(descriptor, $0, &info, 0) }) == 0 else { continue }  // dangling link
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    if visited.insert(FolderIdentity(info)).inserted { folders.append(path) }
                } else if (info.st_mode & S_IFMT) == S_IFREG, isFileCandidate {
                    let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    if ext == "xmp" {
                        sidecars[String(name[..<dot!])] = modified
                    } else {
                        photos.append((name, Int64(info.st_size), modified))
                    }
                }
            }
            if listingError != 0 {
                unreadable.append(UnreadableFolder(path: folder, reason: "listing stopped: \(String(cString: strerror(listingError)))"))
            }
            for photo in photos {
                let stem = photo.name.lastIndex(of: ".").map { String(photo.name[..<$0]) } ?? photo.name
                let path = folder.hasSuffix("/") ? folder + photo.name : folder + "/" + photo.name
                found(WalkedFile(path: path, fileSize: photo.size, modifiedAt: photo.modified,
                                 sidecarModifiedAt: sidecars[photo.name] ?? sidecars[stem]))
            }
        }
        return unreadable
    }

    private func isExcluded(_ name: UnsafePointer<CChar>) -> Bool {
        namePatterns.contains { pattern in pattern.withUnsafeBufferPointer { fnmatch($0.baseAddress, name, 0) == 0 } }
    }

    private func isExcluded(relativePath: String) -> Bool {
        pathPatterns.contains { pattern in pattern.withUnsafeBufferPointer { fnmatch($0.baseAddress, relativePath, 0) == 0 } }
    }

    /// The sidecar that belongs to a photo: `photo.jpg.xmp` first, then `photo.xmp` (either case).
    public static func sidecarPath(for photoPath: String) -> String? {
        let url = URL(fileURLWithPath: photoPath)
        let stem = url.deletingPathExtension().path
        var info = stat()
        return [photoPath + ".xmp", photoPath + ".XMP", stem + ".xmp", stem + ".XMP"].first { candidate in
            FileSystemPath.withCString(candidate) { stat($0, &info) } == 0
        }
    }
}

private struct FolderIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
