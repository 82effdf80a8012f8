import Foundation
import ViewfinderCore

/// A photo's file opened for reading only when its recorded path leads straight to a regular file: no
/// symbolic link at the end (`O_NOFOLLOW`) or on the way (`realpath` is the path itself). The descriptor
/// closes with the last reference, so a response body that is never sent still closes it.
final class PlainFile: Sendable {
    let descriptor: Int32
    let size: Int64
    /// Nanoseconds since 1970, of the file this descriptor reads.
    let modified: Int64

    init?(_ path: String) {
        // The recorded path's bytes (a Latin-1 name included), compared as bytes.
        let bytes = FileSystemPath.bytes(path)
        guard let resolved = FileSystemPath.withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        guard strlen(resolved) == bytes.count, memcmp(resolved, bytes, bytes.count) == 0 else { return nil }
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file. Blocking.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw PlainFileError(message: String(cString: strerror(errno))) }
            if got == 0 { break }
            filled += got
        }
        return filled == count ? bytes : Array(bytes[..<filled])
    }
}

struct PlainFileError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
