import Foundation
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// A moved photo that was edited leaves its source's bytes nowhere else, so they are kept beside the journal
/// (DEST/.viewfinder-organise/journal-…/ID-name.jpg, with the source's times) until an undo puts them back.
enum KeptOriginal {
    static func path(for id: Int, source: String, journal: OrganiseJournal) -> String {
        OrganiseJournal.keptFolder(of: journal.path) + "/\(id)-" + URL(fileURLWithPath: source).lastPathComponent
    }

    /// Copies the source to `kept`, verified, unless a killed run kept it already; throws when the source no
    /// longer holds the bytes that were edited (it changed under us).
    static func keep(_ source: String, at kept: String, original: String) throws(OrganiseError) {
        if holds(kept, original) { return }
        try discard(kept)
        let folder = URL(fileURLWithPath: kept).deletingLastPathComponent().path
        guard FileSystemPath.withCString(folder, { mkdir($0, 0o700) }) == 0 || errno == EEXIST else {
            throw OrganiseError("cannot make \(folder) to keep the original of \(source): \(String(cString: strerror(errno)))")
        }
        let copied = try VerifiedCopy.place(source, at: kept, temporary: Organiser.temporary(for: kept))
        guard copied == original else {
            try discard(kept)
            throw OrganiseError("\(source) changed while it was being organised; it was left where it is")
        }
    }

    static func holds(_ kept: String, _ original: String) -> Bool {
        VerifiedCopy.exists(kept) && (try? FileDigest.sha256(kept)) == original
    }

    /// Removes a kept original (and a half copy of it), and its folder once empty.
    static func discard(_ kept: String) throws(OrganiseError) {
        FileSystemPath.withCString(Organiser.temporary(for: kept)) { _ = unlink($0) }
        if VerifiedCopy.exists(kept) { try VerifiedCopy.remove(kept) }
        let folder = URL(fileURLWithPath: kept).deletingLastPathComponent().path
        if FileSystemPath.withCString(folder, { rmdir($0) }) == 0 { try VerifiedCopy.syncFolder(of: folder) }
    }
}
