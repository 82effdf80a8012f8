import Foundation
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// One line of the journal. Each step is written (and fsynced) before it is taken and marked after, so a
/// rerun or an undo knows from the journal and the disk how far every file got.
public struct JournalEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The run: its mode, sources and destination.
        case start
        /// About to copy `source` to `destination` through `temporary`, making `folders` first.
        case place
        /// The copy was edited (`--fix-dates`, `--upright`) from the source's `original` bytes to `sha256`, and (moving)
        /// the original kept at `kept` for an undo; its name is given next.
        case edited
        /// The copy is in place with `sha256`.
        case placed
        /// Finished: for a move, the source is gone too.
        case done
        /// The whole plan was applied.
        case finished
        /// `--undo` put every file back.
        case undone
    }

    public var kind: Kind
    public var id: Int?
    public var mode: TransferMode?
    public var source: String?
    public var destination: String?
    public var temporary: String?
    public var folders: [String]?
    public var sha256: String?
    /// An edited photo's source bytes, by SHA-256.
    public var original: String?
    /// Moving an edited photo: where its original bytes wait for an undo, in the journal's folder.
    public var kept: String?
    public var sources: [String]?
    public var into: String?

    init(_ kind: Kind, id: Int? = nil) {
        self.kind = kind
        self.id = id
    }
}

/// The journal file: JSON lines in DEST/.viewfinder-organise, appended and fsynced one entry at a time.
final class OrganiseJournal {
    static let folderName = ".viewfinder-organise"
    let path: String
    private(set) var entries: [JournalEntry]
    private let descriptor: Int32

    /// Opens `path` to append to it; its entries so far are read first, and a last line a kill cut short is
    /// cut off (its step never started), so the next entry starts a line of its own.
    init(path: String) throws(OrganiseError) {
        self.path = path
        entries = try Self.read(path)
        descriptor = try FileDigest.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if let data = FileManager.default.contents(atPath: path), let last = data.last, last != UInt8(ascii: "\n") {
            let whole = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            guard ftruncate(descriptor, off_t(whole)) == 0 else {
                close(descriptor)
                throw OrganiseError("cannot repair the journal \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit { close(descriptor) }

    /// The journal a killed run of this destination left unfinished, if there is one.
    static func unfinished(in into: String) throws(OrganiseError) -> OrganiseJournal? {
        let folder = into + "/" + folderName
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        for name in names.reversed() {
            let entries = try read(folder + "/" + name)
            if !entries.contains(where: { $0.kind == .finished || $0.kind == .undone }) {
                return try OrganiseJournal(path: folder + "/" + name)
            }
        }
        return nil
    }

    /// A new journal in the destination, named by the time and process.
    static func create(in into: String) throws(OrganiseError) -> OrganiseJournal {
        let folder = into + "/" + folderName
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw OrganiseError("cannot make \(folder): \(error.localizedDescription)")
        }
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let stamp = CaptureDate(fileTime: Int64(clock.tv_sec) * 1_000_000_000).iso.prefix(19).replacingOccurrences(of: ":", with: "")
        let journal = try OrganiseJournal(path: folder + "/journal-\(stamp)-\(getpid()).jsonl")
        try VerifiedCopy.syncFolder(of: journal.path)
        return journal
    }

    func append(_ entry: JournalEntry) throws(OrganiseError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { throw OrganiseError("cannot write the journal entry") }
        line.append(UInt8(ascii: "\n"))
        let written = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw OrganiseError("cannot write the journal \(path): \(String(cString: strerror(errno)))")
        }
        entries.append(entry)
    }

    /// Every whole line; a last line cut short by a kill is ignored (its step never started).
    static func read(_ path: String) throws(OrganiseError) -> [JournalEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw OrganiseError("cannot read the journal \(path)") }
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var entries = [JournalEntry]()
        for (number, line) in lines.enumerated() {
            guard let entry = try? decoder.decode(JournalEntry.self, from: Data(line)) else {
                if number == lines.count - 1, data.last != UInt8(ascii: "\n") { break }
                throw OrganiseError("\(path) line \(number + 1) is not a journal entry of viewfinder organise")
            }
            entries.append(entry)
        }
        return entries
    }

    /// Each file's steps, once every path in them is checked to lie where the journal's start says: the journal
    /// sits in its destination's journal folder, each photo and folder it made below that destination, each source
    /// below a source it names. A planted or edited journal must not make an undo or a rerun touch files elsewhere.
    func checkedFiles() throws(OrganiseError) -> [JournalFile] {
        guard let start = entries.first, start.kind == .start, let into = start.into, let sources = start.sources,
              Self.lies(into, below: "/"), URL(fileURLWithPath: path).deletingLastPathComponent().path == into + "/" + Self.folderName
        else { throw OrganiseError("\(path) is not a journal viewfinder organise wrote for its destination") }
        let steps = files
        let keptFolder = Self.keptFolder(of: path)
        for file in steps {
            let step = file.place
            let below = [step.destination].compactMap { $0 } + (step.folders ?? [])
            // A kept original lies in this journal's own folder: an undo removes it.
            guard let source = step.source, below.allSatisfy({ Self.lies($0, below: into) }),
                  file.edited?.kept.map({ Self.lies($0, below: keptFolder) }) ?? true,
                  sources.contains(where: { source == $0 || Self.lies(source, below: $0) }) else {
                throw OrganiseError("\(path) names a file outside its destination or sources; nothing was touched")
            }
        }
        return steps
    }

    /// Where a journal keeps moved originals that were edited: a folder named as it is, absolute however it was named.
    static func keptFolder(of journal: String) -> String {
        String(URL(fileURLWithPath: journal).standardizedFileURL.path.dropLast(".jsonl".count))
    }

    /// Whether `path` is strictly below `root`, with no `.` or `..` to climb out.
    static func lies(_ path: String, below root: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix("/"), !parts.contains(where: { $0 == "." || $0 == ".." }) else { return false }
        return root == "/" || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Each file's steps by id, in the order they were started.
    private var files: [JournalFile] {
        var placed = [Int: String](), edited = [Int: JournalEntry](), done = Set<Int>()
        for entry in entries {
            if entry.kind == .placed, let id = entry.id { placed[id] = entry.sha256 }
            if entry.kind == .edited, let id = entry.id { edited[id] = entry }
            if entry.kind == .done, let id = entry.id { done.insert(id) }
        }
        return entries.filter { $0.kind == .place }.map {
            JournalFile(place: $0, sha256: placed[$0.id ?? -1], edited: edited[$0.id ?? -1], done: done.contains($0.id ?? -1))
        }
    }

    /// Every edit any journal of this destination recorded, as "ORIGINAL EDITED" hashes: a photo's edited copy is
    /// a duplicate of its source, so a rerun skips it rather than placing it again under a suffix.
    static func editedPairs(in into: String) -> Set<String> {
        let folder = into + "/" + folderName
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }
        return Set(names.flatMap { name in
            ((try? read(folder + "/" + name)) ?? []).compactMap { entry in
                entry.kind == .edited ? entry.original.flatMap { original in entry.sha256.map { original + " " + $0 } } : nil
            }
        })
    }
}

/// One file's steps in a journal: what was to be placed, the hash it was placed with, its edit, whether it finished.
struct JournalFile {
    var place: JournalEntry
    var sha256: String?
    var edited: JournalEntry?
    var done: Bool

    /// The bytes the destination should hold: as placed, else as edited (a kill came between), else nil (the source's).
    var expected: String? { sha256 ?? edited?.sha256 }
}
