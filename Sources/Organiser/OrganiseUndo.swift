import Foundation
import Indexer
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// What an undo did.
public struct UndoOutcome: Sendable {
    /// Moved files put back where they came from.
    public var restored: Int
    /// Copies removed (each verified identical to what was placed).
    public var removed: Int
    /// Files left where they are, each with its reason (changed since they were organised). Another undo of the
    /// same journal tries them again; no apply resumes it.
    public var kept: [String]
    /// Edited copies taken out of the layout into the journal's folder, not deleted: an undo cannot prove that a
    /// file whose hash the journal names is only an edit of its source. Each says where it went.
    public var setAside: [String]
}

extension Organiser {
    /// Puts back every file a journal placed, newest first. Every step looks at the disk before it acts, so an
    /// undo killed halfway is finished by running it again.
    public static func undo(journal path: String, progress: any ProgressSink = SilentProgress()) throws(OrganiseError) -> UndoOutcome {
        guard VerifiedCopy.exists(path) else { throw OrganiseError("no journal at \(path)") }
        let journal = try OrganiseJournal(path: path)
        guard journal.entries.first?.kind == .start else { throw OrganiseError("\(path) is not a journal of viewfinder organise") }
        var outcome = UndoOutcome(restored: 0, removed: 0, kept: [], setAside: [])
        let files = try journal.checkedFiles()
        let started = Date()
        for (number, file) in files.reversed().enumerated() {
            let step = file.place
            guard let id = step.id, let source = step.source, let destination = step.destination else { continue }
            // Both ways: an undo killed between linking a photo's old name and removing its hidden copy left that.
            removeHalfCopies(for: destination)
            removeHalfCopies(for: source)
            if let edited = file.edited, let original = edited.original {
                let aside = OrganiseJournal.keptFolder(of: journal.path) + "/\(id)-edited-" + URL(fileURLWithPath: destination).lastPathComponent
                try putBackEdited(source: source, destination: destination, mode: step.mode ?? .copy, placed: file.expected,
                                  original: original, kept: edited.kept, aside: aside, outcome: &outcome)
            } else {
                try putBack(source: source, destination: destination, mode: step.mode ?? .copy, placed: file.sha256, outcome: &outcome)
            }
            progress.report(ProgressReport(phase: .organising, done: number + 1, total: files.count, failed: outcome.kept.count,
                                           elapsed: Date().timeIntervalSince(started)))
        }
        // The folders the apply made, deepest first, where they are empty now.
        for folder in files.flatMap({ $0.place.folders ?? [] }).reversed()
        where FileSystemPath.withCString(folder, { rmdir($0) }) == 0 {
            try VerifiedCopy.syncFolder(of: folder)
        }
        progress.finish(ProgressReport(phase: .organising, done: files.count, total: files.count, failed: outcome.kept.count,
                                       elapsed: Date().timeIntervalSince(started)))
        // A finished run's journal stays open only to another undo. An unfinished one is closed even with files
        // kept: else the next apply into this destination would resume the run the user undid, in this journal.
        if outcome.kept.isEmpty || !journal.entries.contains(where: { $0.kind == .finished || $0.kind == .undone }) {
            try journal.append(JournalEntry(.undone))
        }
        return outcome
    }

    /// An edited copy leaves the layout once its source holds the original again: a moved one's original comes back
    /// from where it was kept, and only then are the kept bytes removed and the edited copy set aside in the
    /// journal's folder (so a rerun finds each step undone). The journal's hashes alone never delete a file.
    private static func putBackEdited(source: String, destination: String, mode: TransferMode, placed: String?, original: String,
                                      kept: String?, aside: String, outcome: inout UndoOutcome) throws(OrganiseError) {
        guard VerifiedCopy.exists(destination) else {
            // Never named (a run stopped before), or put back already: the original the run kept goes back or goes.
            guard let kept, KeptOriginal.holds(kept, original) else { return }
            if !VerifiedCopy.exists(source) {
                try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: source).deletingLastPathComponent().path,
                                                         withIntermediateDirectories: true)
                try VerifiedCopy.place(kept, at: source, temporary: temporary(for: source))
            }
            if try FileDigest.sha256(source) == original { try KeptOriginal.discard(kept) }
            return
        }
        guard try FileDigest.sha256(destination) == placed else {
            outcome.kept.append("\(destination): changed since it was organised; left where it is")
            return
        }
        if mode == .move, !VerifiedCopy.exists(source) {
            guard let kept, KeptOriginal.holds(kept, original) else {
                outcome.kept.append("\(destination): the original bytes kept for an undo are gone or changed, so this is the only copy; left where it is")
                return
            }
            try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: source).deletingLastPathComponent().path,
                                                     withIntermediateDirectories: true)
            try VerifiedCopy.place(kept, at: source, temporary: temporary(for: source))
        }
        guard VerifiedCopy.exists(source), try FileDigest.sha256(source) == original else {
            outcome.kept.append(mode == .copy
                ? "\(destination): its source \(source) is gone or changed, so this is the only copy; left where it is"
                : "\(destination): another file now holds its old name \(source); left where it is")
            return
        }
        if let kept, VerifiedCopy.exists(kept) { try KeptOriginal.discard(kept) }
        let folder = URL(fileURLWithPath: aside).deletingLastPathComponent().path
        guard !VerifiedCopy.exists(aside) else {
            outcome.kept.append("\(destination): \(aside) is taken, so it cannot be set aside there; left where it is")
            return
        }
        guard FileSystemPath.withCString(folder, { mkdir($0, 0o700) }) == 0 || errno == EEXIST,
              FileSystemPath.withCString(destination, { from in FileSystemPath.withCString(aside) { rename(from, $0) } }) == 0 else {
            outcome.kept.append("\(destination): cannot be set aside in \(folder) (\(String(cString: strerror(errno)))); left where it is")
            return
        }
        try VerifiedCopy.syncFolder(of: destination)
        try VerifiedCopy.syncFolder(of: aside)
        outcome.setAside.append("\(destination): the edited copy was moved to \(aside), not deleted; delete it once checked")
        if mode == .move { outcome.restored += 1 }
    }

    private static func putBack(source: String, destination: String, mode: TransferMode, placed: String?,
                                outcome: inout UndoOutcome) throws(OrganiseError) {
        guard VerifiedCopy.exists(destination) else { return }  // never placed, or put back already
        let here = try FileDigest.sha256(destination)
        let original = VerifiedCopy.exists(source) ? try FileDigest.sha256(source) : nil
        guard here == (placed ?? original) else {
            outcome.kept.append("\(destination): changed since it was organised; left where it is")
            return
        }
        switch mode {
        case .copy:
            // The source gone (a card formatted since) or changed makes this the only copy of those bytes.
            guard original == here else {
                outcome.kept.append("\(destination): its source \(source) is gone or changed, so this is the only copy; left where it is")
                return
            }
            try VerifiedCopy.remove(destination)
            outcome.removed += 1
        case .move:
            if original == nil {
                // Its folder may have been tidied away since the move.
                try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: source).deletingLastPathComponent().path,
                                                         withIntermediateDirectories: true)
                try VerifiedCopy.place(destination, at: source, temporary: temporary(for: source))
            } else if original != here {
                outcome.kept.append("\(destination): another file now holds its old name \(source); left where it is")
                return
            }
            try VerifiedCopy.remove(destination)
            outcome.restored += 1
        }
    }
}
