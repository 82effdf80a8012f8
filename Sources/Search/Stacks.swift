/// How the photos of a stack belong together.
public enum StackKind: String, Sendable, Codable {
    /// One shot saved as RAW and as JPEG (or HEIC): same folder, same name.
    case rawJPEG = "raw+jpeg"
    /// A Live Photo: the still and its video (Apple's content identifier, else the same name).
    case live
    /// Frames of one burst (a burst identifier, else one camera's consecutive files, or near-identical frames, at
    /// most 2 s apart).
    case burst
    /// An edited copy beside its original (`IMG_E1234.JPG`, `name-edited.jpg`).
    case edited
}

/// A stack as a result shows it: every member, the one shown first.
public struct PhotoStack: Sendable, Codable, Equatable {
    public var kind: StackKind
    /// Paths, the shown member (the JPEG, the edited copy, the still, the first frame) first.
    public var members: [String]
    /// The members' ids, in the same order.
    public var ids: [Int64]
}

/// Photos shown as one, found from what the columns hold: photos sharing a content or burst identifier, and within
/// a folder, files of one shot (the same name in other formats, edited copies) and runs of burst frames. Kept per
/// bucket (an identifier, or a folder), so a change re-reads only the buckets of the photos it touched.
struct Stacks: Sendable {
    /// Where photos are looked for together: photos with an identifier by it, all others by their folder.
    enum Bucket: Hashable, Sendable {
        case identifier(String)
        case folder(UInt32)
    }

    var members = BucketMembers()
    /// Each bucket's stacks, members by photo number, the shown one first.
    var stacks: [Bucket: [(kind: StackKind, members: [Int])]] = [:]
    /// Each stacked photo's bucket and its stack's place there.
    var placeOf: [Int: (bucket: Bucket, stack: Int)] = [:]

    init() {}

    /// Every present photo's stacks, from scratch: the buckets shared out between both cores.
    init(_ columns: Columns, present: (Int) -> Bool) {
        members = BucketMembers(columns, present: present)
        let reader = StackReader(columns)
        let crowded = members.crowded
        let found = sharedOut(crowded.count, chunk: Self.bucketsTakenAtOnce) { reader.stacks(of: crowded[$0].bucket, crowded[$0].photos) }
        stacks.reserveCapacity(found.count { !$0.isEmpty })
        placeOf.reserveCapacity(found.reduce(0) { $0 + $1.reduce(0) { $0 + $1.members.count } })
        for (place, bucketStacks) in found.enumerated() where !bucketStacks.isEmpty { record(bucketStacks, in: crowded[place].bucket) }
    }

    /// Buckets a core takes at a time: few enough that both finish together, enough that taking costs nothing.
    private static let bucketsTakenAtOnce = 64

    static func bucket(_ columns: Columns, _ number: Int) -> Bucket {
        columns.stackHints.range(number).isEmpty ? .folder(columns.folders.codes[number]) : .identifier(columns.stackHints[number])
    }

    /// The photo's stack, when it is in one: its kind and members, the shown one first.
    func stack(of number: Int) -> (kind: StackKind, members: [Int])? {
        placeOf[number].map { stacks[$0.bucket]![$0.stack] }
    }

    /// The member shown for the photo: its stack's first, or itself.
    func shown(for number: Int) -> Int { stack(of: number)?.members.first ?? number }

    /// Photo numbers added and taken out; each bucket they were or are in is stacked again once.
    mutating func update(added: [Int], removed: [Int], _ columns: Columns) {
        var touched = Set<Bucket>()
        for number in removed {
            let bucket = Self.bucket(columns, number)
            members.remove(number, from: bucket)
            touched.insert(bucket)
        }
        for number in added {
            let bucket = Self.bucket(columns, number)
            members.add(number, to: bucket)
            touched.insert(bucket)
        }
        let reader = StackReader(columns)
        for bucket in touched { restack(bucket, reader) }
    }

    private mutating func restack(_ bucket: Bucket, _ reader: StackReader) {
        for stack in stacks[bucket] ?? [] { for number in stack.members { placeOf[number] = nil } }
        record(reader.stacks(of: bucket, members[bucket]), in: bucket)
    }

    private mutating func record(_ found: [(kind: StackKind, members: [Int])], in bucket: Bucket) {
        stacks[bucket] = found.isEmpty ? nil : found
        for (place, stack) in found.enumerated() { for number in stack.members { placeOf[number] = (bucket, place) } }
    }

    static let livePrefix = "live:"
    static let burstPrefix = "burst:"

    /// What a photo's identifiers put in the stack hint column: the content identifier wins (a Live Photo's frames
    /// are not a burst).
    static func hint(contentIdentifier: String?, burstIdentifier: String?) -> String {
        if let id = contentIdentifier, !id.isEmpty { return livePrefix + id }
        if let id = burstIdentifier, !id.isEmpty { return burstPrefix + id }
        return ""
    }

    /// A folder's stacks: files of one shot, then runs of burst frames among the photos left alone.
    static func folderStacks(_ files: [StackFile]) -> [(kind: StackKind, members: [Int])] {
        var found = [(kind: StackKind, members: [Int])]()
        // Photos grouped by their place in `files` (no copy of each photo's strings), and whether it is stacked.
        var stacked = [Bool](repeating: false, count: files.count)
        let mayShareShots = mayHaveAlike(files.count) { files[$0].shot == files[$1].shot }
        let shots: [[Int]] = mayShareShots ? Array(Dictionary(grouping: files.indices, by: { files[$0].shot }).values) : []
        for places in shots where places.count > 1 {
            let shot = places.map { files[$0] }
            let kind: StackKind
            if shot.contains(where: \.isEdited) { kind = .edited }
            else if shot.contains(where: \.isVideo) { kind = .live }
            else if shot.contains(where: \.isRaw) && shot.contains(where: { !$0.isRaw }) { kind = .rawJPEG }
            // The same picture in two ordinary formats (a converted copy) is a duplicate, not a stack.
            else { continue }
            found.append((kind, ordered(shot, kind).map(\.number)))
            for place in places { stacked[place] = true }
        }
        // Runs of one series (one camera's files of one format and prefix) numbered in turn, taken at most
        // `burstGap` apart: the loose files sorted by series and number once, then read in that order (a dictionary
        // of series a folder was most of stacking a million photos).
        var loose = files.indices.filter { !stacked[$0] && files[$0].sequence != nil && files[$0].seconds != nil && files[$0].camera != nil }
        loose.sort { a, b in
            if files[a].camera != files[b].camera { return files[a].camera! < files[b].camera! }
            if files[a].format != files[b].format { return files[a].format < files[b].format }
            let (x, y) = (files[a].sequence!, files[b].sequence!)
            return x.prefix != y.prefix ? x.prefix < y.prefix : x.number != y.number ? x.number < y.number : a < b
        }
        func follows(_ place: Int, _ last: Int) -> Bool {
            files[place].camera == files[last].camera && files[place].format == files[last].format
                && files[place].sequence!.number == files[last].sequence!.number + 1 && files[place].sequence!.prefix == files[last].sequence!.prefix
                && abs(files[place].seconds! - files[last].seconds!) <= burstGap
        }
        var run = [Int]()
        func close() {
            guard run.count > 1 else { return }
            found.append((.burst, run.map { files[$0].number }))
            for member in run { stacked[member] = true }
        }
        for place in loose {
            if let last = run.last, follows(place, last) {
                run.append(place)
            } else {
                close()
                run = [place]
            }
        }
        close()
        return found + nearFrames(files, files.indices.filter { !stacked[$0] })
    }

    /// Whether two of `count` files may be alike: compared pair by pair when they are few (a folder of distinct
    /// shots makes no dictionary), taken as possible when they are many.
    private static func mayHaveAlike(_ count: Int, _ alike: (Int, Int) -> Bool) -> Bool {
        guard count <= pairwiseAtMost else { return true }
        for later in 0..<count where (0..<later).contains(where: { alike($0, later) }) { return true }
        return false
    }

    /// The most files compared pair by pair (496 comparisons of short shots).
    private static let pairwiseAtMost = 32

    /// Frames further apart than this (seconds) are separate photos, not a burst.
    static let burstGap = 2

    /// Near-identical frames one camera took at most `burstGap` seconds apart, found by their perceptual hashes
    /// when neither an identifier nor file numbers tell: photos in time order, each compared with the few before it
    /// within the gap (never every pair), joining the burst of the nearest that looks alike when it also looks like
    /// that burst's first frame, so a slow drift (a time lapse, a pan) never chains into one endless stack.
    /// Photos without a camera (screenshots, exports) are never a burst.
    static func nearFrames(_ files: [StackFile], _ places: [Int]) -> [(kind: StackKind, members: [Int])] {
        // Most folders have none: no photo's strings copied for them.
        let candidates = places.filter { files[$0].looks != 0 && files[$0].seconds != nil && !files[$0].isVideo && files[$0].camera != nil }
            .map { files[$0] }
        guard candidates.count > 1 else { return [] }
        var found = [(kind: StackKind, members: [Int])]()
        for series in Dictionary(grouping: candidates, by: { LooksKey(camera: $0.camera, format: $0.format, orientation: $0.orientation) }).values
            where series.count > 1 {
            let frames = series.sorted { ($0.seconds!, $0.name) < ($1.seconds!, $1.name) }
            func apart(_ a: Int, _ b: Int) -> Int { (frames[a].looks ^ frames[b].looks).nonzeroBitCount }
            // Each frame's burst, by its first frame.
            var first = Array(frames.indices)
            for later in frames.indices {
                var nearest: (bits: Int, first: Int)?
                for earlier in stride(from: later - 1, through: max(0, later - burstLookBack), by: -1) {
                    guard frames[later].seconds! - frames[earlier].seconds! <= burstGap else { break }
                    let bits = apart(later, earlier)
                    guard bits <= burstLooks, bits < (nearest?.bits ?? .max), apart(later, first[earlier]) <= burstLooks else { continue }
                    nearest = (bits, first[earlier])
                }
                if let nearest { first[later] = nearest.first }
            }
            for run in Dictionary(grouping: frames.indices, by: { first[$0] }).values where run.count > 1 {
                found.append((.burst, ordered(run.map { frames[$0] }, .burst).map(\.number)))
            }
        }
        return found
    }

    /// The most bits two frames of one burst differ by (of 64): measured frames of a hand-held burst and different
    /// shots seconds apart lie either side (BENCHMARKS.md, "Bursts by near-identical frames").
    static let burstLooks = 12
    /// How many earlier photos within the gap a photo is compared with: a folder of thousands taken in one second
    /// (copies, a time lapse without seconds) costs a few comparisons each, not every pair.
    static let burstLookBack = 8

    private struct LooksKey: Hashable {
        var camera: UInt64?
        var format: UInt32
        var orientation: UInt32
    }

    /// Members in the order shown: the still before the video, the edited copy before its original, the JPEG before
    /// the RAW; a burst's frames in the order they were taken.
    static func ordered(_ files: [StackFile], _ kind: StackKind) -> [StackFile] {
        files.sorted { a, b in
            if kind == .burst, a.seconds != b.seconds { return (a.seconds ?? .max) < (b.seconds ?? .max) }
            let rank = { (file: StackFile) in (file.isVideo ? 4 : 0) + (file.isRaw ? 2 : 0) + (file.isEdited ? 0 : 1) }
            return rank(a) != rank(b) ? rank(a) < rank(b) : a.name != b.name ? a.name < b.name : a.number < b.number
        }
    }
}
