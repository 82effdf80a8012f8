import CShims
import Foundation
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads photo files whole (one read serves hashing, metadata and decoding) and never writes them; organise reads dates through it too.
public enum FileReading {
    public struct FileState {
        public var size: Int64
        public var modifiedAt: Int64
    }

    /// nil when the file no longer exists.
    public static func state(of path: String) -> FileState? {
        var info = stat()
        guard FileSystemPath.withCString(path, { stat($0, &info) }) == 0 else { return nil }
        return FileState(size: Int64(info.st_size),
                         modifiedAt: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    public static func read(_ path: String, limit: Int) throws(IndexProblem) -> [UInt8] {
        try read(path, limit: limit, digest: nil)
    }

    /// The file and its SHA-256, each piece hashed as it arrives rather than the whole file again after the read.
    static func readHashed(_ path: String, limit: Int) throws(IndexProblem) -> (bytes: [UInt8], hash: ContentHash) {
        guard let digest = vf_sha256_begin() else { throw IndexProblem(.read, "cannot start SHA-256 (OpenSSL)") }
        var value = [UInt8](repeating: 0, count: 32)
        let bytes: [UInt8]
        do {
            defer { vf_sha256_finish(digest, &value) }
            bytes = try read(path, limit: limit, digest: digest)
        }
        return (bytes, ContentHash(digest: value))
    }

    /// A video's SHA-256 and its first bytes (for the sniffer), streamed: a film is never held in memory, whatever its size.
    static func headHashed(_ path: String, head: Int) throws(IndexProblem) -> (bytes: [UInt8], hash: ContentHash) {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw IndexProblem(.read, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard let digest = vf_sha256_begin() else { throw IndexProblem(.read, "cannot start SHA-256 (OpenSSL)") }
        var value = [UInt8](repeating: 0, count: 32)
        var first = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: piece * 4)
        var failure: Int32?
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { vf_sha256_add(digest, $0.baseAddress, count) }
            if first.count < head { first += buffer[..<min(count, head - first.count)] }
        }
        vf_sha256_finish(digest, &value)
        if let failure { throw IndexProblem(.read, "read failed: \(String(cString: strerror(failure)))") }
        return (first, ContentHash(digest: value))
    }

    /// Small enough to be in the core's own cache still when the hash reads it.
    private static let piece = 256 << 10

    private static func read(_ path: String, limit: Int, digest: OpaquePointer?) throws(IndexProblem) -> [UInt8] {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw IndexProblem(.read, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw IndexProblem(.read, "cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw IndexProblem(.read, "file is \(size / 1_048_576) MiB, over the \(limit / 1_048_576) MiB limit")
        }
        var failure: Int32?
        // Uninitialised: zero-filling a 5 MB buffer that read(2) overwrites costs a millisecond a photo.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + done, min(piece, size - done))
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 { break }  // the file shrank while we read it
                if let digest { vf_sha256_add(digest, buffer.baseAddress! + done, count) }
                done += count
            }
            initialized = done
        }
        if let failure { throw IndexProblem(.read, "read failed: \(String(cString: strerror(failure)))") }
        return bytes
    }
}
