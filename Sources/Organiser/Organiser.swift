import Foundation
import Indexer
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// What an apply did.
public struct OrganiseOutcome: Sendable {
    public var plan: OrganisePlan
    /// nil when there was nothing to do.
    public var journal: String?
    /// Files copied or moved into the layout now (photos and companions).
    public var transferred: Int
    /// Files a killed run had left half done, finished now.
    public var recovered: Int
    /// Files that could not be organised, each with its reason; the journal stays open for a rerun.
    public var failures: [String]
    /// Photos organised unchanged although `--fix-dates` or `--upright` asked for an edit, each with its reason.
    public var notEdited: [String]
}

/// Applies a plan, and finishes one that a kill interrupted: every step is in the journal before it is taken.
public enum Organiser {
    /// Finishes what a killed run of this destination left, plans what is left to do, and does it.
    public static func apply(_ request: OrganiseRequest, progress: any ProgressSink = SilentProgress()) throws(OrganiseError) -> OrganiseOutcome {
        let into = OrganisePlanner.absolute(request.into)
        let unfinished = try OrganiseJournal.unfinished(in: into)
        var recovered = 0
        if let unfinished { recovered = try recover(unfinished) }
        let plan = try OrganisePlanner.plan(request)
        // exiftool confirms each edit changed only what was asked, as write-back's does: no judge, no edits.
        let judge = request.fixDates || request.upright ? TagComparison.locate() : nil
        if request.fixDates || request.upright, judge == nil {
            throw OrganiseError("--fix-dates and --upright need exiftool to check each edited photo, and it is not installed "
                                + "(Debian: apt-get install libimage-exiftool-perl); nothing was done")
        }
        // Nothing to do, nothing new to journal: a finished job run again leaves no empty journal behind.
        guard unfinished != nil || !plan.transfers.isEmpty else {
            return OrganiseOutcome(plan: plan, journal: nil, transferred: 0, recovered: 0, failures: [], notEdited: [])
        }
        let journal: OrganiseJournal
        if let unfinished { journal = unfinished } else { journal = try OrganiseJournal.create(in: into) }
        if journal.entries.isEmpty {
            var start = JournalEntry(.start)
            (start.mode, start.sources, start.into) = (plan.mode, request.sources.map(OrganisePlanner.absolute), into)
            try journal.append(start)
        }
        var nextID = (journal.entries.compactMap(\.id).max() ?? 0) + 1
        var transferred = 0
        var failures = [String](), notEdited = [String]()
        let total = plan.transfers.count
        let started = Date()
        for item in plan.items {
            let members = [(item.source, item.destination, item.action)] + item.companions.map { ($0.source, $0.destination, $0.action) }
            for (index, (source, destination, action)) in members.enumerated() where action != .skipDuplicate {
                nextID += 1
                do throws(OrganiseError) {
                    let edit = index == 0 && !item.edit.isEmpty ? judge.map { (item.edit, $0) } : nil
                    if let note = try transfer(source, to: destination, into: into, mode: plan.mode, id: nextID - 1, journal: journal,
                                               edit: edit) { notEdited.append(note) }
                    transferred += 1
                } catch {
                    failures.append(error.description)
                    if index == 0 { break }  // its sidecar or movie does not travel without the photo
                }
                progress.report(ProgressReport(phase: .organising, done: transferred, total: total, failed: failures.count,
                                               elapsed: Date().timeIntervalSince(started)))
            }
        }
        progress.finish(ProgressReport(phase: .organising, done: transferred, total: total, failed: failures.count,
                                       elapsed: Date().timeIntervalSince(started)))
        if failures.isEmpty { try journal.append(JournalEntry(.finished)) }
        return OrganiseOutcome(plan: plan, journal: journal.path, transferred: transferred, recovered: recovered, failures: failures,
                               notEdited: notEdited)
    }

    /// Journal, folders, copy, verify, edit (keeping a moved original for an undo), name, then (moving) remove the
    /// source, each step marked when done.
    /// Returns why an edit asked for was not made, if it was not.
    @discardableResult
    static func transfer(_ source: String, to destination: String, into: String, mode: TransferMode, id: Int,
                         journal: OrganiseJournal, edit: (PhotoEdit, TagComparison)? = nil) throws(OrganiseError) -> String? {
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        var missing = [String]()
        var walk = folder
        while walk.count > into.count, !VerifiedCopy.exists(walk) {
            missing.insert(walk, at: 0)
            walk = URL(fileURLWithPath: walk).deletingLastPathComponent().path
        }
        var step = JournalEntry(.place, id: id)
        (step.mode, step.source, step.destination) = (mode, source, destination)
        (step.temporary, step.folders) = (temporary(for: destination), missing.isEmpty ? nil : missing)
        try journal.append(step)
        for created in missing {
            guard FileSystemPath.withCString(created, { mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                throw OrganiseError("cannot make the folder \(created): \(String(cString: strerror(errno)))")
            }
            try VerifiedCopy.syncFolder(of: created)
        }
        var placed = JournalEntry(.placed, id: id)
        var refused: OrganiseError?
        if let (change, judge) = edit {
            let temporary = temporary(for: destination)
            let prepared: (original: String, copy: String)
            do throws(OrganiseError) {
                prepared = try VerifiedCopy.prepare(source, temporary: temporary) { path throws(OrganiseError) in
                    do throws(OrganiseError) { try change.apply(to: path, original: source, judge: judge) } catch {
                        refused = error
                        throw error
                    }
                }
            } catch {
                // An edit that fails (a corrupt JPEG, a change exiftool would not pass) leaves the photo as it was.
                guard let refused else { throw error }
                placed.sha256 = try VerifiedCopy.place(source, at: destination, temporary: temporary)
                try journal.append(placed)
                if mode == .move { try VerifiedCopy.remove(source) }
                try journal.append(JournalEntry(.done, id: id))
                return "\(source): not edited, organised as it was: \(refused.description)"
            }
            let (original, copy) = prepared
            var edited = JournalEntry(.edited, id: id)
            (edited.original, edited.sha256) = (original, copy)
            if mode == .move { edited.kept = KeptOriginal.path(for: id, source: source, journal: journal) }
            do throws(OrganiseError) {
                try journal.append(edited)
                if let kept = edited.kept { try KeptOriginal.keep(source, at: kept, original: original) }
                try VerifiedCopy.commit(temporary, as: destination)
            } catch {
                FileSystemPath.withCString(temporary) { _ = unlink($0) }
                throw error
            }
            placed.sha256 = copy
        } else {
            placed.sha256 = try VerifiedCopy.place(source, at: destination, temporary: temporary(for: destination))
        }
        try journal.append(placed)
        if mode == .move { try VerifiedCopy.remove(source) }
        try journal.append(JournalEntry(.done, id: id))
        return nil
    }

    /// The hidden name a copy is written under before it is complete.
    static func temporary(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".viewfinder-organise"
    }

    /// Removes what a killed run may have left of a copy on its way to `destination`: the copy, and the edit's scratch files.
    static func removeHalfCopies(for destination: String) {
        let temporary = temporary(for: destination)
        for half in [temporary, LosslessTurn.scratch(for: temporary), JPEGExif.scratch(for: temporary)] {
            FileSystemPath.withCString(half) { _ = unlink($0) }
        }
    }

    /// A killed run's files: half copies removed, copies in place marked, moved sources removed once the copy is
    /// verified. Files it never placed are left to the new plan.
    static func recover(_ journal: OrganiseJournal) throws(OrganiseError) -> Int {
        var recovered = 0
        for file in try journal.checkedFiles() where !file.done {
            let step = file.place
            guard let id = step.id, let source = step.source, let destination = step.destination else { continue }
            removeHalfCopies(for: destination)
            let sourceHash = VerifiedCopy.exists(source) ? try? FileDigest.sha256(source) : nil
            guard VerifiedCopy.exists(destination), let placedHash = try? FileDigest.sha256(destination) else {
                // Never named: a kept original goes only while the source still holds those bytes (else it is
                // the only copy, left for an undo), and the new plan places the photo.
                if let edited = file.edited, let kept = edited.kept, sourceHash != nil, sourceHash == edited.original {
                    try KeptOriginal.discard(kept)
                }
                continue
            }
            guard placedHash == (file.expected ?? sourceHash) else { continue }  // someone else's file took the name
            if file.sha256 == nil {
                var placed = JournalEntry(.placed, id: id)
                placed.sha256 = placedHash
                try journal.append(placed)
            }
            if step.mode == .move, let edited = file.edited, let original = edited.original, let kept = edited.kept {
                // The original was kept before the name was given; the source goes only while it still holds it.
                if sourceHash == original, KeptOriginal.holds(kept, original) {
                    do throws(OrganiseError) { try VerifiedCopy.remove(source) } catch { continue }
                } else if sourceHash != nil { continue }
            } else if step.mode == .move, sourceHash == placedHash {
                // A source that cannot go (a read-only card) stays, and so does this step: the rest carries on.
                do throws(OrganiseError) { try VerifiedCopy.remove(source) } catch { continue }
            }
            try journal.append(JournalEntry(.done, id: id))
            recovered += 1
        }
        return recovered
    }
}
