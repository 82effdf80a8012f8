import Foundation
import ViewfinderCore

/// A file replaced whole: the new bytes go into a scratch file beside it, which is fsynced, renamed over it, and the
/// folder flushed, so a kill or a power cut at any moment leaves the old file or the new one, never half of one.
/// Paths go to the system through `FileSystemPath`, so a name that is not UTF-8 is the file it names.
public enum FileReplacement {
    /// Fills `scratch` (removed first, and again when anything fails), then renames it over `target`.
    /// `beforeRename` may still refuse, once the new bytes are on disk. The scratch name must be the caller's alone:
    /// another writer's scratch of the same name would be removed, or renamed over the target half written.
    public static func replace(_ target: String, scratch: String, _ fill: (String) throws(IndexProblem) -> Void,
                               beforeRename: () throws(IndexProblem) -> Void = {}) throws(IndexProblem) {
        remove(scratch)
        do throws(IndexProblem) {
            try fill(scratch)
            try flush(scratch)
            try beforeRename()
        } catch {
            remove(scratch)
            throw error
        }
        let renamed = FileSystemPath.withCString(scratch) { from in FileSystemPath.withCString(target) { rename(from, $0) } }
        guard renamed == 0 else {
            let reason = String(cString: strerror(errno))
            remove(scratch)
            throw IndexProblem(.writeBack, "cannot replace \(URL(fileURLWithPath: target).lastPathComponent): \(reason)")
        }
        try flush(URL(fileURLWithPath: target).deletingLastPathComponent().path)  // the rename itself must survive a power cut
    }

    /// `bytes` in a new file at `path` with the permission bits of `like`, fsynced before it is closed.
    public static func create(_ path: String, with bytes: [UInt8], modeOf like: String) throws(IndexProblem) {
        var info = stat()
        guard FileSystemPath.withCString(like, { stat($0, &info) }) == 0 else { throw IndexProblem(.writeBack, "cannot stat \(like)") }
        let descriptor = FileSystemPath.withCString(path) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0o7777) }
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw IndexProblem(.writeBack, "cannot write a temporary file: \(String(cString: strerror(errno)))") }
            done += written
        }
        guard fsync(descriptor) == 0 else { throw IndexProblem(.writeBack, "fsync failed: \(String(cString: strerror(errno)))") }
    }

    private static func remove(_ path: String) { FileSystemPath.withCString(path) { _ = unlink($0) } }

    private static func flush(_ path: String) throws(IndexProblem) {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot open \(path) to flush it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw IndexProblem(.writeBack, "fsync failed: \(String(cString: strerror(errno)))") }
    }
}
