import Foundation
import ViewfinderCore

/// A file replaced whole: the new bytes go into a scratch file beside it, which is fsynced, renamed over it, and the
/// folder flushed, so a kill or a power cut at any moment leaves the old file or the new one, never half of one.
public enum FileReplacement {
    /// Fills `scratch` (removed first, and again when anything fails), then renames it over `target`.
    /// `beforeRename` may still refuse, once the new bytes are on disk.
    public static func replace(_ target: String, scratch: String, _ fill: (String) throws(IndexProblem) -> Void,
                               beforeRename: () throws(IndexProblem) -> Void = {}) throws(IndexProblem) {
        unlink(scratch)
        do throws(IndexProblem) {
            try fill(scratch)
            try flush(scratch)
            try beforeRename()
        } catch {
            unlink(scratch)
            throw error
        }
        guard rename(scratch, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(scratch)
            throw IndexProblem(.writeBack, "cannot replace \(URL(fileURLWithPath: target).lastPathComponent): \(reason)")
        }
        try flush(URL(fileURLWithPath: target).deletingLastPathComponent().path)  // the rename itself must survive a power cut
    }

    /// `bytes` in a new file at `path` with the permission bits of `like`.
    public static func create(_ path: String, with bytes: [UInt8], modeOf like: String) throws(IndexProblem) {
        var info = stat()
        guard stat(like, &info) == 0 else { throw IndexProblem(.writeBack, "cannot stat \(like)") }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0o7777)
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw IndexProblem(.writeBack, "cannot write a temporary file: \(String(cString: strerror(errno)))") }
            done += written
        }
    }

    static func flush(_ path: String) throws(IndexProblem) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot open \(path) to flush it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw IndexProblem(.writeBack, "fsync failed: \(String(cString: strerror(errno)))") }
    }
}
