import CShims
import Foundation
import Media
import Catalogue
import ViewfinderCore

/// Where `--write-back` puts captions and tags.
public enum WriteBackMode: String, Sendable, CaseIterable {
    /// photo.jpg.xmp (or the photo.xmp already there), merged with what it holds.
    case sidecar
    /// EXIF ImageDescription and XMP dc:description inside the photo; the image data is not touched.
    case inFile = "in-file"
}

/// Named faces to write as MWG regions (upright, as the catalogue keeps them), with the photo's displayed size
/// and orientation, which turn them back onto the stored pixels that MWG regions describe.
public struct RegionsToWrite: Sendable, Equatable {
    public var regions: [NamedRegion]
    public var width: Int
    public var height: Int
    public var orientation: Int

    public init(_ regions: [NamedRegion], width: Int, height: Int, orientation: Int) {
        self.regions = regions
        self.width = width
        self.height = height
        self.orientation = orientation
    }

    /// The regions for a photo as the catalogue holds it.
    public init(_ regions: [NamedRegion], of photo: PhotoRecord) {
        self.init(regions, width: photo.width, height: photo.height, orientation: photo.orientation)
    }
}

/// What a write-back did: the photo's new state, and a warning when the photo was left as it was and the
/// sidecar written instead.
public struct WriteBackOutcome: Sendable {
    public var rewrite: PhotoRewrite
    public var warning: String?
}

/// Writes captions and tags through exiv2, always into a temporary file beside the target that is fsynced and
/// renamed over it: a kill at any moment leaves either the old file or the new one, never half of one.
/// In the photo itself only when exiftool finds nothing else changed; otherwise in the sidecar.
public enum MetadataWriter {
    /// - Parameter caption: nil leaves the description as it is (a person wrote one); the tags are merged anyway.
    /// - Parameter regions: named faces that replace the faces among the photo's `mwg-rs:Regions`; nil leaves them.
    /// - Parameter indexedHash: the content hash the catalogue holds; a photo that no longer has it is not written.
    public static func write(caption: String?, tags: [String], regions: RegionsToWrite? = nil, to path: String,
                             mode: WriteBackMode, indexedHash: String?) throws(IndexProblem) -> WriteBackOutcome {
        let edit = XMPEdit(caption: caption, tags: tags, regions: regions)
        guard let before = FileReading.state(of: path) else { throw IndexProblem(.writeBack, "the photo is gone") }
        // exiv2 and exiftool take names as text: a name that is not UTF-8 could reach the wrong file.
        guard !FileSystemPath.isEscaped(path) else {
            throw IndexProblem(.writeBack, "its name is not UTF-8, and write-back leaves such photos alone")
        }
        switch mode {
        case .sidecar:
            return WriteBackOutcome(rewrite: try sidecar(edit, beside: path, photo: before), warning: nil)
        case .inFile:
            let bytes = try FileReading.read(path, limit: Int.max)
            if let indexedHash, PhotoAnalyzer.hash(bytes).hex != indexedHash {
                throw IndexProblem(.writeBack, "the photo changed since it was indexed; left untouched until it is indexed again")
            }
            guard let judge = TagComparison.locate() else {
                return try fallBack(edit, path: path, photo: before,
                                    because: "exiftool is not installed, so a write into the photo could not be checked")
            }
            var refusal: String?
            do throws(IndexProblem) {
                try replace(path, requireExisting: true, unchanged: before) { temporary throws(IndexProblem) in
                    do throws(IndexProblem) {
                        try fill(temporary, from: bytes, photo: path, edit: edit)
                    } catch {
                        refusal = error.reason  // exiv2 cannot write this file: the sidecar can still hold it
                        throw error
                    }
                    refusal = InFileCheck.refusal(original: path, copy: temporary, caption: caption,
                                                  regions: regions != nil, judge: judge)
                    if let refusal { throw IndexProblem(.writeBack, refusal) }
                }
            } catch {
                guard let refusal else { throw error }
                return try fallBack(edit, path: path, photo: before, because: refusal)
            }
            guard let after = FileReading.state(of: path) else { throw IndexProblem(.writeBack, "the photo vanished after writing") }
            let written = try FileReading.read(path, limit: Int.max)
            return WriteBackOutcome(rewrite: PhotoRewrite(fileSize: after.size, modifiedAt: after.modifiedAt,
                                                          contentHash: PhotoAnalyzer.hash(written).hex,
                                                          sidecarModifiedAt: nil, description: caption), warning: nil)
        }
    }

    private static func sidecar(_ edit: XMPEdit, beside path: String,
                                photo: FileReading.FileState) throws(IndexProblem) -> PhotoRewrite {
        let existing = LibraryWalker.sidecarPath(for: path)
        let target = existing ?? path + ".xmp"
        try replace(target, requireExisting: false, unchanged: nil) { temporary throws(IndexProblem) in
            try edit.call { vf_exiv2_write_sidecar(existing, temporary, $0, $1, $2) }
        }
        return PhotoRewrite(fileSize: photo.size, modifiedAt: photo.modifiedAt, contentHash: nil,
                            sidecarModifiedAt: FileReading.state(of: target)?.modifiedAt, description: edit.caption)
    }

    private static func fallBack(_ edit: XMPEdit, path: String, photo: FileReading.FileState,
                                 because reason: String) throws(IndexProblem) -> WriteBackOutcome {
        WriteBackOutcome(rewrite: try sidecar(edit, beside: path, photo: photo),
                         warning: "left the photo as it was and wrote the sidecar: \(reason)")
    }

    /// JPEG: only the XMP segment is replaced, every other byte copied. Other formats: exiv2 rewrites the file.
    private static func fill(_ temporary: String, from bytes: [UInt8], photo: String, edit: XMPEdit) throws(IndexProblem) {
        guard JPEGHeader.isJPEG(bytes) else {
            try FileReplacement.create(temporary, with: bytes, modeOf: photo)
            try edit.call { vf_exiv2_write_xmp_in_file(temporary, $0, $1, $2) }
            return
        }
        var packet: UnsafeMutablePointer<CChar>?
        var length = 0
        try edit.call { vf_exiv2_xmp_packet(photo, $0, &packet, &length, $1, $2) }
        defer { free(packet) }
        let xmp = packet.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
        try FileReplacement.create(temporary, with: try JPEGXMPSegment.replacing(in: bytes, with: xmp), modeOf: photo)
    }

    /// Removes the scratch files of `name` whose writer (the process its name holds) is no longer running.
    private static func removeLeftovers(of name: String, in folder: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let (prefix, suffix) = (".\(name).", ".viewfinder-tmp")
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(suffix) {
            let own = entry.dropFirst(prefix.count).dropLast(suffix.count).split(separator: ".")
            guard own.count == 2, let pid = Int32(own[0]), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + entry)
        }
    }

    /// Fills a hidden temporary file beside `target` and renames it over `target` once it is on disk.
    /// `unchanged`: the target's size and time when it was read; a target changed since is not replaced.
    private static func replace(_ target: String, requireExisting: Bool, unchanged: FileReading.FileState?,
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
        // This process's own scratch name: two writers of one photo (two indexers writing its regions) never remove
        // or rename each other's half-written file. What killed writers left is removed here.
        removeLeftovers(of: url.lastPathComponent, in: folder)
        let own = "\(getpid()).\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(own).viewfinder-tmp").path
        try FileReplacement.replace(target, scratch: temporary, fill) { () throws(IndexProblem) in
            if let unchanged, let now = FileReading.state(of: target), now.size != unchanged.size || now.modifiedAt != unchanged.modifiedAt {
                throw IndexProblem(.writeBack, "the photo changed while it was being written; left untouched")
            }
        }
    }
}
