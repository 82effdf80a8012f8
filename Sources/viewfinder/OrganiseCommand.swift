import ArgumentParser
import Foundation
import Organiser

struct OrganiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organise",
        abstract: "File photo folders into a dated layout (DEST/YYYY/MM/ by default): a plan first, then --apply.",
        discussion: """
            Works on folders directly; no catalogue is needed. Each photo's date comes from the best source, marked
            in the plan: EXIF (with its offset), then XMP or QuickTime, then a date in the file name
            (IMG_20190614_183012.jpg, PXL_…, VID_…, Screenshot_…, IMG-20190614-WA0001.jpg), then the file time.
            A name already taken is never overwritten: the same bytes are skipped as a duplicate, other bytes get a
            suffix (name-1.jpg). Sidecars (photo.jpg.xmp, photo.xmp) and the MOV of a Live Photo travel with their
            photo. Every copy is fsynced and verified by SHA-256 before it gets its name, and a moved photo's
            source is removed only then. The journal in DEST/.viewfinder-organise lets a run killed halfway be
            finished by running the same command again, and --undo put everything back.

            --fix-dates writes the chosen date (DateTimeOriginal, CreateDate, and their offsets when known) into a
            JPEG that has no EXIF date; --upright turns a JPEG losslessly (jpegtran -perfect, every marker kept) as its
            EXIF Orientation says and sets Orientation to 1. Both change only the organised copy, never a source that
            stays; exiftool checks that nothing else changed, and --undo puts back the original bytes.

            Pattern fields: {year} {month} {day} {camera} {place} (GPS to a tenth of a degree) {name} {ext}; a
            pattern without {name} or {ext} in its last part is a folder.

            Examples:
              viewfinder organise ~/Card --into ~/Pictures                 the plan: what would go where
              viewfinder organise ~/Card --into ~/Pictures --apply         copy (the card stays as it is)
              viewfinder organise ~/Inbox --into ~/Pictures --move --apply
              viewfinder organise ~/Card --into ~/Pictures --pattern "{year}/{year}-{month}-{day} {camera}"
              viewfinder organise ~/Card --into ~/Pictures --shift-camera "Canon EOS 5D=+1h"
              viewfinder organise ~/Card --into ~/Pictures --apply --fix-dates   dates into JPEGs with none
              viewfinder organise ~/Card --into ~/Pictures --apply --upright     sideways JPEGs turned losslessly
              viewfinder organise ~/Card --into ~/Pictures --json | jq '.items[] | select(.dateSource == "file-time")'
              viewfinder organise --undo ~/Pictures/.viewfinder-organise/journal-2026-12-02T041800-123.jsonl
            """)

    @Argument(help: "Folders to organise.", completion: .directory)
    var sources: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where the layout goes.", valueName: "dest"), completion: .directory)
    var into: String?

    @Option(name: .long, help: "The layout below DEST.")
    var pattern = LayoutPattern.default

    @Flag(name: .long, help: "Do it (without this, only the plan is printed and nothing is touched).")
    var apply = false

    @Flag(help: "Copy (the default) or move the photos.")
    var transfer: TransferMode = .copy

    @Option(name: .customLong("shift-camera"), help: ArgumentHelp(
        "A camera whose clock was wrong, and by how much: \"Canon EOS 5D=+1h\", \"NIKON D90=-1d2h30m\" (repeatable).",
        valueName: "camera=shift"))
    var shifts: [String] = []

    @Flag(name: .customLong("fix-dates"), help: "Write the chosen date into the EXIF of organised JPEGs that have none (with --apply).")
    var fixDates = false

    @Flag(name: .long, help: "Turn organised JPEGs losslessly as their EXIF Orientation says, then mark them upright (with --apply).")
    var upright = false

    @Option(name: .long, help: ArgumentHelp("Put back every file a journal placed (moved files to their folders, with their times; copies removed).",
                                            valueName: "journal"), completion: .file())
    var undo: String?

    @Flag(name: .long, help: "Print the plan (or what was done) as JSON.")
    var json = false

    func validate() throws {
        if undo != nil {
            guard sources.isEmpty, into == nil, !apply, !fixDates, !upright else { throw ValidationError("--undo takes only the journal") }
            return
        }
        guard !sources.isEmpty else { throw ValidationError("name at least one folder to organise") }
        guard into != nil else { throw ValidationError("--into DEST is missing: where should the layout go?") }
    }

    func run() throws {
        CommonOptions.bootstrapLogging(verbose: false)
        if let undo { return try undoJournal(undo) }
        let request = OrganiseRequest(
            sources: sources, into: into!, pattern: try LayoutPattern(pattern), mode: transfer,
            shifts: try shifts.map { text throws(OrganiseError) in try CameraShift(parsing: text) }, fixDates: fixDates, upright: upright)
        guard apply else {
            let plan = try OrganisePlanner.plan(request)
            if json { return try JSONOutput.print(plan) }
            return print(PlanTable.text(plan) + "\nNothing was done: add --apply to do it.")
        }
        let outcome = try Organiser.apply(request, progress: TerminalProgress())
        if json {
            try JSONOutput.print(Applied(outcome))
        } else {
            print(PlanTable.text(outcome.plan))
            if let journal = outcome.journal {
                print("\(outcome.transferred) file\(outcome.transferred == 1 ? "" : "s") \(outcome.plan.mode == .copy ? "copied" : "moved")"
                      + (outcome.recovered > 0 ? ", \(outcome.recovered) left half done by an earlier run finished" : "")
                      + "; journal: \(journal) (undo with viewfinder organise --undo JOURNAL)")
            } else {
                print("Nothing to do: every photo is in place already.")
            }
            for note in outcome.notEdited { print(note) }
        }
        guard outcome.failures.isEmpty else {
            throw ValidationError("\(outcome.failures.count) file(s) could not be organised (run the same command again to retry):\n"
                                  + outcome.failures.joined(separator: "\n"))
        }
    }

    private func undoJournal(_ path: String) throws {
        let outcome = try Organiser.undo(journal: path, progress: TerminalProgress())
        if json {
            try JSONOutput.print(Undone(restored: outcome.restored, removed: outcome.removed, kept: outcome.kept, setAside: outcome.setAside))
        } else {
            print("\(outcome.restored) moved file(s) put back, \(outcome.removed) copies removed")
            for line in outcome.setAside { print(line) }
        }
        guard outcome.kept.isEmpty else {
            throw ValidationError("\(outcome.kept.count) file(s) left where they are:\n" + outcome.kept.joined(separator: "\n")
                                  + "\nthe journal is closed: no organise resumes that run; --undo \(path) again tries these once dealt with")
        }
    }

    /// The plan's keys, and what the apply did.
    struct Applied: Encodable {
        var into, mode, pattern: String
        var journal: String?
        var items: [PlannedItem]
        var problems, failures, notEdited: [String]
        var transferred, recovered: Int

        init(_ outcome: OrganiseOutcome) {
            (into, mode, pattern, journal) = (outcome.plan.into, outcome.plan.mode.rawValue, outcome.plan.pattern, outcome.journal)
            (items, problems, failures, notEdited) = (outcome.plan.items, outcome.plan.problems, outcome.failures, outcome.notEdited)
            (transferred, recovered) = (outcome.transferred, outcome.recovered)
        }
    }

    struct Undone: Encodable {
        var restored, removed: Int
        var kept, setAside: [String]
    }
}

extension TransferMode: EnumerableFlag {}
extension OrganiseError: LocalizedError {
    public var errorDescription: String? { description }
}

/// The plan as a table a person reads: action, date and its source, from where to where.
enum PlanTable {
    static func text(_ plan: OrganisePlan) -> String {
        var lines = [String]()
        let into = plan.into + "/"
        func relative(_ path: String) -> String { path.hasPrefix(into) ? String(path.dropFirst(into.count)) : path }
        for item in plan.items {
            let date = item.date + (item.shift.map { " (\($0))" } ?? "")
            lines.append([item.action.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0),
                          date.padding(toLength: 26, withPad: " ", startingAt: 0),
                          item.dateSource.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                          item.source + " → " + relative(item.destination)].joined(separator: " "))
            for change in item.changes + item.notChanged { lines.append(String(repeating: " ", count: 16) + change) }
            for companion in item.companions {
                lines.append(String(repeating: " ", count: 16) + "with " + companion.source + " → " + relative(companion.destination)
                             + (companion.action == .skipDuplicate ? " (already there)" : ""))
            }
        }
        let count = { (action: PlannedAction) in plan.items.filter { $0.action == action }.count }
        let moving = plan.mode == .copy ? count(.copy) : count(.move)
        lines.append("\(plan.items.count) photos into \(plan.into): \(moving) to \(plan.mode.rawValue), \(count(.suffix)) under a suffixed name "
                     + "(the name holds another photo), \(count(.skipDuplicate)) already there (skipped as duplicates); "
                     + "\(plan.items.map(\.companions.count).reduce(0, +)) sidecars and Live Photo movies travel with them")
        for problem in plan.problems { lines.append("not organised: \(problem)") }
        return lines.joined(separator: "\n")
    }
}
