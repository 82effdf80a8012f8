import Foundation
import Indexer
import Media
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// What the person asked for: which folders, where to, how.
public struct OrganiseRequest: Sendable {
    public var sources: [String]
    public var into: String
    public var pattern: LayoutPattern
    public var mode: TransferMode
    public var shifts: [CameraShift]
    /// `--fix-dates`: the chosen date written into EXIF where the photo has none (the organised copy only).
    public var fixDates: Bool
    /// `--upright`: JPEGs turned losslessly as their EXIF Orientation says, then marked upright.
    public var upright: Bool

    public init(sources: [String], into: String, pattern: LayoutPattern, mode: TransferMode, shifts: [CameraShift],
                fixDates: Bool = false, upright: Bool = false) {
        (self.sources, self.into, self.pattern, self.mode, self.shifts) = (sources, into, pattern, mode, shifts)
        (self.fixDates, self.upright) = (fixDates, upright)
    }
}

/// Plans the layout without touching a file. The plan depends only on what is on disk, so the same command
/// run again after a crash plans the rest of the job: what was placed reads as a duplicate of itself.
public enum OrganisePlanner {
    public static func plan(_ request: OrganiseRequest) throws(OrganiseError) -> OrganisePlan {
        let into = absolute(request.into)
        let sources = request.sources.map(absolute)
        for source in sources {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder), isFolder.boolValue else {
                throw OrganiseError("\(source) is not a folder")
            }
        }
        var photos = [String: Int64]()
        var problems = [String]()
        let walker = LibraryWalker()
        for source in sources {
            guard source != into else { throw OrganiseError("\(source) is the destination itself: organise it into another folder") }
            // A destination inside a source is already organised: never walked again. A source inside the
            // destination (an inbox in the library) is walked, all but the journals.
            let skipped = OrganiseJournal.lies(into, below: source) ? into : into + "/" + OrganiseJournal.folderName
            problems += walker.walk(source) { file in
                if !OrganiseJournal.lies(file.path, below: skipped) { photos[file.path] = file.modifiedAt }
            }.map(\.description)
        }
        if request.upright, ToolProcess.locate("jpegtran") == nil {
            throw OrganiseError("--upright needs jpegtran, which is not installed (Debian: apt-get install libjpeg-turbo-progs)")
        }
        var claims = Claims(edited: OrganiseJournal.editedPairs(in: into))
        var companionsTaken = Set<String>()
        var items = [PlannedItem]()
        // A Live Photo's movie, found by the walker too, travels with its photo rather than on its own.
        let travelling = Set(photos.keys.flatMap { Companion.beside($0).map(\.path) })
        for path in photos.keys.sorted() where !travelling.contains(path) {
            let companions = Companion.beside(path).filter { companionsTaken.insert($0.path).inserted }
            var facts = PhotoFacts(photo: path, sidecar: companions.first { $0.isSidecar }?.path, modifiedAt: photos[path]!)
            let shift = request.shifts.last { $0.matches(make: facts.make, model: facts.model) }
            if let shift { facts.date = facts.date.shifted(by: shift.seconds) }
            let url = URL(fileURLWithPath: path)
            let relative = request.pattern.path(name: url.deletingPathExtension().lastPathComponent, ext: url.pathExtension,
                                                date: facts.date, camera: facts.camera, place: facts.gps)
            guard OrganiseJournal.lies(into + "/" + relative, below: into) else {
                problems.append("\(path): the pattern makes \"\(relative)\" of it, which is not a place below the destination; left where it is")
                continue
            }
            let (destination, actions) = claims.place(photo: path, companions: companions, at: into + "/" + relative, mode: request.mode)
            // A photo already in place is not edited again.
            let (edit, notChanged) = actions[0] == .skipDuplicate ? (PhotoEdit(), [])
                : PhotoEdit.plan(facts, path: path, fixDates: request.fixDates, upright: request.upright)
            items.append(PlannedItem(
                source: path, destination: destination, date: facts.date.iso, dateSource: facts.source, shift: shift?.written,
                action: actions[0],
                companions: zip(companions, actions.dropFirst()).map { companion, action in
                    PlannedCompanion(source: companion.path, destination: companion.destination(beside: destination), action: action)
                }, edit: edit, notChanged: notChanged))
        }
        return OrganisePlan(into: into, mode: request.mode, pattern: request.pattern.text, items: items, problems: problems)
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        var text = url.standardizedFileURL.path
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

/// A sidecar or Live Photo movie found beside a photo.
struct Companion {
    var path: String
    /// What follows the photo's name (`.xmp` of photo.jpg.xmp) or, when `ofStem`, its stem (`.MOV`, `.xmp`).
    var ending: String
    var ofStem: Bool
    var isSidecar: Bool

    /// Both sidecar namings LibraryWalker knows; the MOV of a HEIC or JPEG of the same name (a Live Photo).
    static func beside(_ photo: String) -> [Companion] {
        let url = URL(fileURLWithPath: photo)
        let stem = url.deletingPathExtension().path
        var found = [Companion]()
        var info = stat()
        func exists(_ path: String) -> Bool {
            FileSystemPath.withCString(path) { stat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }
        for ending in [".xmp", ".XMP"] where exists(photo + ending) {
            found.append(Companion(path: photo + ending, ending: ending, ofStem: false, isSidecar: true))
        }
        for ending in [".xmp", ".XMP"] where exists(stem + ending) {
            found.append(Companion(path: stem + ending, ending: ending, ofStem: true, isSidecar: true))
        }
        if ["heic", "heif", "jpg", "jpeg"].contains(url.pathExtension.lowercased()) {
            for ending in [".mov", ".MOV"] where exists(stem + ending) {
                found.append(Companion(path: stem + ending, ending: ending, ofStem: true, isSidecar: false))
            }
        }
        return found
    }

    func destination(beside photo: String) -> String {
        ofStem ? URL(fileURLWithPath: photo).deletingPathExtension().path + ending : photo + ending
    }
}

/// Destinations taken so far by the plan, and what is on disk: never two files on one name, never an overwrite.
struct Claims {
    /// "ORIGINAL EDITED" hashes of the edits journalled in this destination.
    let edited: Set<String>
    private var taken = [String: String]()
    private var sizes = [String: Int64]()
    private var hashes = [String: String]()

    /// The photo's destination (suffixed if needed) and an action for it and each companion.
    mutating func place(photo: String, companions: [Companion], at wanted: String, mode: TransferMode) -> (String, [PlannedAction]) {
        let url = URL(fileURLWithPath: wanted)
        let folder = url.deletingLastPathComponent().path, ext = url.pathExtension
        let name = url.deletingPathExtension().lastPathComponent
        for number in 0... {
            let destination = number == 0 ? wanted
                : folder + "/" + name + "-\(number)" + (ext.isEmpty ? "" : "." + ext)
            let members = [(photo, destination)] + companions.map { ($0.path, $0.destination(beside: destination)) }
            let states = members.map { state(of: $0.1, for: $0.0) }
            guard !states.contains(.different) else { continue }
            for (source, target) in members { taken[target] = source }
            let moving: PlannedAction = number == 0 ? (mode == .copy ? .copy : .move) : .suffix
            return (destination, states.map { $0 == .same ? .skipDuplicate : moving })
        }
        fatalError("unreachable: the suffixes never run out")
    }

    private enum State { case free, same, different }

    private mutating func state(of target: String, for source: String) -> State {
        if let holder = taken[target] { return same(source, holder) ? .same : .different }
        var info = stat()
        guard FileSystemPath.withCString(target, { lstat($0, &info) }) == 0 else { return .free }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .different }
        return same(source, target) ? .same : .different
    }

    /// The same bytes, or `other` is the edited copy of `one` an earlier run placed.
    private mutating func same(_ one: String, _ other: String) -> Bool {
        if !edited.isEmpty, let first = hash(one), let second = hash(other), edited.contains(first + " " + second) { return true }
        guard let size = size(one), size == self.size(other) else { return false }
        guard let first = hash(one) else { return false }
        return first == hash(other)
    }

    init(edited: Set<String>) { self.edited = edited }

    private mutating func size(_ path: String) -> Int64? {
        if let known = sizes[path] { return known }
        sizes[path] = FileReading.state(of: path)?.size
        return sizes[path]
    }

    private mutating func hash(_ path: String) -> String? {
        if let known = hashes[path] { return known }
        hashes[path] = try? FileDigest.sha256(path)
        return hashes[path]
    }
}
