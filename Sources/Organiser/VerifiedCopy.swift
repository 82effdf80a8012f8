import CShims
import Foundation
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 of a file, read piece by piece.
enum FileDigest {
    static func sha256(_ path: String) throws(OrganiseError) -> String {
        let descriptor = try open(path, O_RDONLY)
        defer { close(descriptor) }
        return try hash(descriptor, path: path, copyingTo: nil)
    }

    /// Hashes what `source` holds, writing each piece to `copy` as it goes.
    static func hash(_ source: Int32, path: String, copyingTo copy: Int32?) throws(OrganiseError) -> String {
        guard let digest = vf_sha256_begin() else { throw OrganiseError("cannot start SHA-256 (OpenSSL)") }
        var value = [UInt8](repeating: 0, count: 32)
        do throws(OrganiseError) {
            try pump(source, path: path, into: digest, copyingTo: copy)
        } catch {
            vf_sha256_finish(digest, &value)
            throw error
        }
        vf_sha256_finish(digest, &value)
        return ContentHash(digest: value).hex
    }

    private static func pump(_ source: Int32, path: String, into digest: OpaquePointer, copyingTo copy: Int32?) throws(OrganiseError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw OrganiseError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return }
            vf_sha256_add(digest, buffer, count)
            guard let copy else { continue }
            var done = 0
            while done < count {
                let written = buffer.withUnsafeBytes { Glibc.write(copy, $0.baseAddress! + done, count - done) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw OrganiseError("cannot copy \(path): \(String(cString: strerror(errno)))") }
                done += written
            }
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(OrganiseError) -> Int32 {
        let descriptor = FileSystemPath.withCString(path) { Glibc.open($0, flags | O_CLOEXEC, mode) }
        guard descriptor >= 0 else { throw OrganiseError("cannot open \(path): \(String(cString: strerror(errno)))") }
        return descriptor
    }
}

/// A copy that is complete and on disk before it has a name, and never takes a name another file holds.
enum VerifiedCopy {
    /// Copies into `temporary` (fsynced, with the source's times and permission bits), reads it back and compares
    /// SHA-256, then gives it the name `destination` (refused if taken) and fsyncs the folder. Returns the hash.
    @discardableResult
    static func place(_ source: String, at destination: String, temporary: String) throws(OrganiseError) -> String {
        let written = try prepare(source, temporary: temporary)
        try name(temporary, destination)
        try syncFolder(of: destination)
        return written
    }

    /// The copy in `temporary`, verified, then edited (`--fix-dates`, `--upright`) with the source's times and
    /// permission bits put back and fsynced. Returns the source's hash and the copy's (the same when not edited).
    static func prepare(_ source: String, temporary: String,
                        edit: (String) throws(OrganiseError) -> Void) throws(OrganiseError) -> (original: String, copy: String) {
        let original = try prepare(source, temporary: temporary)
        do throws(OrganiseError) {
            try edit(temporary)
            let descriptor = try FileDigest.open(temporary, O_RDONLY)
            defer { close(descriptor) }
            let info = try status(of: source)
            _ = fchmod(descriptor, info.st_mode & 0o7777)
            if geteuid() == 0 { _ = fchown(descriptor, info.st_uid, info.st_gid) }
            var times = [info.st_atim, info.st_mtim]
            guard futimens(descriptor, &times) == 0, fsync(descriptor) == 0 else {
                throw OrganiseError("cannot finish the edited copy of \(source): \(String(cString: strerror(errno)))")
            }
            return (original, try FileDigest.sha256(temporary))
        } catch {
            FileSystemPath.withCString(temporary) { _ = unlink($0) }
            throw error
        }
    }

    /// Gives a prepared copy its name (refused if taken) and makes the name durable.
    static func commit(_ temporary: String, as destination: String) throws(OrganiseError) {
        try name(temporary, destination)
        try syncFolder(of: destination)
    }

    private static func status(of path: String) throws(OrganiseError) -> stat {
        var info = stat()
        guard FileSystemPath.withCString(path, { stat($0, &info) }) == 0 else {
            throw OrganiseError("cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        return info
    }

    /// Copies into `temporary` with the source's times and permission bits, fsynced and read back; its hash.
    private static func prepare(_ source: String, temporary: String) throws(OrganiseError) -> String {
        FileSystemPath.withCString(temporary) { _ = unlink($0) }  // a killed run's half copy
        let input = try FileDigest.open(source, O_RDONLY)
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw OrganiseError("cannot stat \(source): \(String(cString: strerror(errno)))") }
        let output = try FileDigest.open(temporary, O_WRONLY | O_CREAT | O_EXCL, info.st_mode & 0o7777)
        let written: String
        do throws(OrganiseError) {
            written = try FileDigest.hash(input, path: source, copyingTo: output)
            _ = fchmod(output, info.st_mode & 0o7777)  // the umask took bits away
            if geteuid() == 0 { _ = fchown(output, info.st_uid, info.st_gid) }
            var times = [info.st_atim, info.st_mtim]
            guard futimens(output, &times) == 0, fsync(output) == 0 else {
                throw OrganiseError("cannot finish the copy of \(source): \(String(cString: strerror(errno)))")
            }
            close(output)
        } catch {
            close(output)
            FileSystemPath.withCString(temporary) { _ = unlink($0) }
            throw error
        }
        guard try FileDigest.sha256(temporary) == written else {
            FileSystemPath.withCString(temporary) { _ = unlink($0) }
            throw OrganiseError("the copy of \(source) read back different from what was written; it was left out")
        }
        return written
    }

    /// link(2) fails when the name is taken, where rename(2) would replace the file.
    private static func name(_ temporary: String, _ destination: String) throws(OrganiseError) {
        let linked = FileSystemPath.withCString(temporary) { from in FileSystemPath.withCString(destination) { link(from, $0) } }
        let failure = errno
        if linked == 0 {
            FileSystemPath.withCString(temporary) { _ = unlink($0) }
            return
        }
        // FAT and exFAT cards have no hard links: there the name is checked first (no one else writes here).
        if failure == EPERM || failure == ENOTSUP, !exists(destination),
           FileSystemPath.withCString(temporary, { from in FileSystemPath.withCString(destination) { rename(from, $0) } }) == 0 {
            return
        }
        FileSystemPath.withCString(temporary) { _ = unlink($0) }
        throw OrganiseError("cannot give \(destination) its name: \(String(cString: strerror(failure)))")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return FileSystemPath.withCString(path) { lstat($0, &info) } == 0
    }

    /// Removes a file and makes the removal durable.
    static func remove(_ path: String) throws(OrganiseError) {
        guard FileSystemPath.withCString(path, { unlink($0) }) == 0 || errno == ENOENT else {
            throw OrganiseError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        try syncFolder(of: path)
    }

    static func syncFolder(of path: String) throws(OrganiseError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let descriptor = try FileDigest.open(folder, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw OrganiseError("cannot flush \(folder): \(String(cString: strerror(errno)))") }
    }
}
