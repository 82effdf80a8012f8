import CShims
import Foundation
import Media
import Store
import ViewfinderCore

/// Where `--write-back` puts captions and tags.
public enum WriteBackMode: String, Sendable, CaseIterable {
    /// photo.jpg.xmp (or the photo.xmp already there), merged with what it holds.
    case sidecar
    /// EXIF ImageDescription and XMP dc:description inside the photo; the image data is not touched.
    case inFile = "in-file"
}

/// Writes captions and tags through exiv2, always into a temporary file beside the target that is fsynced and
/// renamed over it: a kill at any moment leaves either the old file or the new one, never half of one.
public enum MetadataWriter {
    /// - Parameter caption: nil leaves the description as it is (a person wrote one); the tags are merged anyway.
    public static func write(caption: String?, tags: [String], to path: String, mode: WriteBackMode) throws(IndexProblem) -> PhotoRewrite {
        guard let before = FileReading.state(of: path) else { throw IndexProblem(.writeBack, "the photo is gone") }
        switch mode {
        case .sidecar:
            let existing = LibraryWalker.sidecarPath(for: path)
            let target = existing ?? path + ".xmp"
            try replace(target, requireExisting: false) { temporary throws(IndexProblem) in
                try call { vf_exiv2_write_sidecar(existing, temporary, caption, $0, $1, $2, $3) }(tags)
            }
            return PhotoRewrite(fileSize: before.size, modifiedAt: before.modifiedAt, contentHash: nil,
                                sidecarModifiedAt: FileReading.state(of: target)?.modifiedAt, description: caption)
        case .inFile:
            try replace(path, requireExisting: true) { temporary throws(IndexProblem) in
                try copy(path, to: temporary)
                try call { vf_exiv2_write_in_file(temporary, caption, $0, $1, $2, $3) }(tags)
            }
            guard let after = FileReading.state(of: path) else { throw IndexProblem(.writeBack, "the photo vanished after writing") }
            let bytes = try FileReading.read(path, limit: Int.max)
            return PhotoRewrite(fileSize: after.size, modifiedAt: after.modifiedAt,
                                contentHash: PhotoAnalyzer.hash(bytes).hex, sidecarModifiedAt: nil, description: caption)
        }
    }

    /// Runs an exiv2 writer with the tags as a C array of strings.
    private static func call(_ writer: @escaping (UnsafePointer<UnsafePointer<CChar>?>, Int32, UnsafeMutablePointer<CChar>, Int) -> Int32)
        -> ([String]) throws(IndexProblem) -> Void {
        { tags throws(IndexProblem) in
            var message = [CChar](repeating: 0, count: 512)
            let strings = tags.map { strdup($0) }
            defer { strings.forEach { free($0) } }
            let pointers = strings.map { UnsafePointer<CChar>($0) }
            let status = pointers.withUnsafeBufferPointer { list in
                message.withUnsafeMutableBufferPointer { writer(list.baseAddress!, Int32(tags.count), $0.baseAddress!, $0.count) }
            }
            if status != 0 {
                throw IndexProblem(.writeBack, "exiv2 could not write: \(String(nulTerminated: message))")
            }
        }
    }

    /// Fills a hidden temporary file beside `target` and renames it over `target` once it is on disk.
    private static func replace(_ target: String, requireExisting: Bool,
                                _ fill: (String) throws(IndexProblem) -> Void) throws(IndexProblem) {
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        // The mode bits too: root passes access(2) on a file its owner marked read-only.
        var info = stat()
        if requireExisting, access(target, W_OK) != 0 || (stat(target, &info) == 0 && info.st_mode & 0o222 == 0) {
            throw IndexProblem(.writeBack, "the photo is read-only; left untouched")
        }
        guard access(folder, W_OK) == 0 else {
            throw IndexProblem(.writeBack, "the folder \(folder) is read-only; left untouched")
        }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).viewfinder-tmp").path
        unlink(temporary)
        do {
            try fill(temporary)
            try flush(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw IndexProblem(.writeBack, "cannot replace \(url.lastPathComponent): \(reason)")
        }
        try flush(folder)  // the rename itself must survive a power cut
    }

    private static func copy(_ source: String, to target: String) throws(IndexProblem) {
        var info = stat()
        guard stat(source, &info) == 0 else { throw IndexProblem(.writeBack, "cannot stat the photo") }
        let bytes = try FileReading.read(source, limit: Int.max)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0o7777)
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw IndexProblem(.writeBack, "cannot write a temporary file: \(String(cString: strerror(errno)))") }
    }

    private static func flush(_ path: String) throws(IndexProblem) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IndexProblem(.writeBack, "cannot open \(path) to flush it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw IndexProblem(.writeBack, "fsync failed: \(String(cString: strerror(errno)))") }
    }
}
