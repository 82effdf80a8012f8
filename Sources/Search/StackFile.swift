/// What stacking reads of the columns: each format's kind decided once, not once a photo (a build reads a million).
final class StackReader: Sendable {
    let columns: Columns
    private let rawFormats: [Bool]
    private let videoFormats: [Bool]
    /// Codes of the empty make and model: a photo with both names no camera.
    private let noMake: [Bool]
    private let noModel: [Bool]

    /// Whether a folder is first screened by `mayHoldStacks` (false only to check the screen against reading all).
    let screening: Bool

    init(_ columns: Columns, screening: Bool = true) {
        self.columns = columns
        self.screening = screening
        rawFormats = columns.format.names.map { $0 == "raw" }
        videoFormats = columns.format.names.map(StackFile.videoFormats.contains)
        noMake = columns.make.names.map(\.isEmpty)
        noModel = columns.model.names.map(\.isEmpty)
    }

    /// A bucket's stacks, members by photo number, the shown one first.
    func stacks(of bucket: Stacks.Bucket, _ photos: ArraySlice<Int>) -> [(kind: StackKind, members: [Int])] {
        guard photos.count > 1 else { return [] }
        // The bucket's photos lie anywhere in the columns: every value read first, in a loop of loads alone whose
        // cache misses overlap, then the names taken apart.
        let read = photos.map(values)
        if case .folder = bucket, screening, !mayHoldStacks(read) { return [] }
        let files = zip(photos, read).map(file)
        switch bucket {
        case let .identifier(hint):
            let kind: StackKind = hint.hasPrefix(Stacks.livePrefix) ? .live : .burst
            return [(kind, Stacks.ordered(files, kind).map(\.number))]
        case .folder:
            return Stacks.folderStacks(files)
        }
    }

    /// What the columns hold of a photo for stacking: codes and numbers, no String.
    private struct Values {
        var format: Int
        var make: UInt32
        var model: UInt32
        var takenKey: UInt64
        var looks: UInt64
        var orientation: UInt32
        var name: Range<Int>
        /// Whether the name is ASCII: its bytes read here too.
        var asciiName: Bool
    }

    private func values(_ number: Int) -> Values {
        let name = columns.names.range(number)
        return Values(format: Int(columns.format.codes[number]), make: columns.make.codes[number], model: columns.model.codes[number],
                      takenKey: columns.takenKeys[number], looks: columns.looks[number], orientation: columns.orientation.codes[number],
                      name: name, asciiName: columns.names.bytes.withUnsafeBufferPointer { Folding.isASCII(UnsafeBufferPointer(rebasing: $0[name])) })
    }

    /// Whether the screen passes over a folder of these photos (read as a build reads them; for tests).
    func screensOut(_ photos: ArraySlice<Int>) -> Bool { !mayHoldStacks(photos.map(values)) }

    /// Whether a folder's photos may hold a stack, told from their numbers and name bytes without a String: two share
    /// a shot (by a hash of its bytes), or one camera took two at most `burstGap` seconds apart, as a burst by file
    /// numbers or by looks needs. Nearly every folder holds none, and taking every photo's name apart into Strings
    /// was most of stacking a million photos.
    private func mayHoldStacks(_ read: [Values]) -> Bool {
        var shots = [UInt64](), moments = [(camera: UInt64, seconds: Int)]()
        shots.reserveCapacity(read.count)
        for values in read {
            guard values.asciiName else { return true }
            shots.append(columns.names.bytes.withUnsafeBufferPointer { StackName.shotHash(ascii: UnsafeBufferPointer(rebasing: $0[values.name])) })
            if let camera = camera(values), let seconds = StackFile.seconds(values.takenKey) { moments.append((camera, seconds)) }
        }
        shots.sort()
        if zip(shots, shots.dropFirst()).contains(where: ==) { return true }
        moments.sort { $0.camera != $1.camera ? $0.camera < $1.camera : $0.seconds < $1.seconds }
        return zip(moments, moments.dropFirst()).contains { $0.camera == $1.camera && $1.seconds - $0.seconds <= Stacks.burstGap }
    }

    /// Make and model codes together; nil when the photo names no camera.
    private func camera(_ values: Values) -> UInt64? {
        noMake[Int(values.make)] && noModel[Int(values.model)] ? nil : UInt64(values.make) << 32 | UInt64(values.model)
    }

    private func file(_ number: Int, _ values: Values) -> StackFile {
        let name = columns.names.bytes.withUnsafeBufferPointer { bytes in
            let utf8 = UnsafeBufferPointer(rebasing: bytes[values.name])
            return values.asciiName ? StackName(ascii: utf8) : StackName(characters: String(decoding: utf8, as: UTF8.self))
        }
        return StackFile(number: number, name: name.name, shot: name.shot, isEdited: name.isEdited, isRaw: rawFormats[values.format],
                         isVideo: videoFormats[values.format], format: UInt32(values.format),
                         camera: camera(values),
                         seconds: StackFile.seconds(values.takenKey), sequence: name.sequence, looks: values.looks,
                         orientation: values.orientation)
    }
}

/// What stacking reads of one photo: its folded file name taken apart, format, camera and time.
struct StackFile {
    var number: Int
    /// Folded file name.
    var name: String
    /// The name without extension and without an editor's mark: what the original and its copies share.
    var shot: String
    var isEdited: Bool
    var isRaw: Bool
    var isVideo: Bool
    var format: UInt32
    /// Make and model codes together; nil when the photo names no camera.
    var camera: UInt64?
    /// Seconds since 1970 as the local capture time says (only differences matter).
    var seconds: Int?
    /// "img_0042" as ("img_", 42): frames of a burst follow each other.
    var sequence: (prefix: String, number: Int)?
    /// Perceptual hash bits (0: none) and the orientation's code: what near-identical frames share.
    var looks: UInt64
    var orientation: UInt32

    /// `MediaFormat`'s videos, as the format column names them (a Live Photo's MOV is `quicktime`).
    static let videoFormats: Set<String> = ["mp4", "quicktime", "3gpp", "matroska", "avi", "mpegts"]

    /// YYYYMMDDhhmmss as seconds since 1970 (days from the civil calendar); nil for an unknown time.
    static func seconds(_ key: UInt64) -> Int? {
        guard key != 0 else { return nil }
        let k = Int(key)
        let (year, month, day) = (k / 10_000_000_000, k / 100_000_000 % 100, k / 1_000_000 % 100)
        let (hour, minute, second) = (k / 10_000 % 100, k / 100 % 100, k % 100)
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let days = era * 146_097 + (yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear) - 719_468
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }
}

/// A folded file name taken apart: the shot its copies share, an editor's mark, the frame number.
struct StackName {
    var name: String
    var shot: String
    var isEdited = false
    var sequence: (prefix: String, number: Int)?

    /// Suffixes editors add to a copy's name: Google Photos and its Takeout (also in German and French),
    /// Lightroom's and Photoshop's "Edit in" round trip.
    static let editedSuffixes = ["-edited", "_edited", " edited", "-bearbeitet", "-modifie", "-edit"]
    private static let editedSuffixBytes = editedSuffixes.map { Array($0.utf8) }

    /// An ASCII name (nearly every one) by its bytes, each byte a character (any other goes by its characters).
    init(ascii utf8: UnsafeBufferPointer<UInt8>) {
        name = String(decoding: utf8, as: UTF8.self)
        let (base, suffixed, editMark) = Self.shot(ascii: utf8)
        isEdited = suffixed || editMark
        shot = editMark ? "img_" + String(decoding: base.dropFirst(5), as: UTF8.self) : String(decoding: base, as: UTF8.self)
        let digits = base.reversed().prefix(while: Self.isDigit).count
        guard digits > 0, digits <= 9 else { return }
        let prefix = base.dropLast(digits)
        sequence = (editMark ? "img_" : String(decoding: prefix, as: UTF8.self), base.suffix(digits).reduce(0) { $0 * 10 + Int($1 - 48) })
    }

    /// An ASCII name's base (before its extension) without an editor's suffix, whether it had one, and whether it
    /// is Apple's mark instead: Apple Photos saves an edit of IMG_1234 as IMG_E1234 beside it, whose shot is the
    /// base without its `e`.
    private static func shot(ascii utf8: UnsafeBufferPointer<UInt8>) -> (base: UnsafeBufferPointer<UInt8>, suffixed: Bool, editMark: Bool) {
        let base = UnsafeBufferPointer(rebasing: utf8[..<(utf8.lastIndex(of: UInt8(ascii: ".")) ?? utf8.count)])
        if let suffix = editedSuffixBytes.first(where: { base.count > $0.count && base.suffix($0.count).elementsEqual($0) }) {
            return (UnsafeBufferPointer(rebasing: base[..<(base.count - suffix.count)]), true, false)
        }
        return (base, false, base.count > 5 && base.starts(with: "img_e".utf8) && base.dropFirst(5).allSatisfy(isDigit))
    }

    /// A hash of an ASCII name's `shot`, from its bytes: equal for names of one shot.
    static func shotHash(ascii utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let (base, _, editMark) = shot(ascii: utf8)
        let seed: UInt64 = 0xcbf2_9ce4_8422_2325
        return editMark ? hash(hash(seed, "img_".utf8), base.dropFirst(5)) : hash(seed, base)
    }

    /// FNV-1a of `bytes` after `hash`.
    private static func hash(_ hash: UInt64, _ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(hash) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// The same by characters: a "." or a digit that carries a combining mark is neither.
    init(characters name: String) {
        self.name = name
        let dot = name.lastIndex(of: ".")
        var base = String(dot.map { name[..<$0] } ?? name[...])
        if let suffix = Self.editedSuffixes.first(where: { base.hasSuffix($0) && base.count > $0.count }) {
            base.removeLast(suffix.count)
            isEdited = true
        } else if base.hasPrefix("img_e"), base.count > 5, base.dropFirst(5).allSatisfy(\.isASCIIDigit) {
            base = "img_" + base.dropFirst(5)
            isEdited = true
        }
        shot = base
        let digits = base.reversed().prefix { $0.isASCIIDigit }.count
        sequence = digits == 0 || digits > 9 ? nil : (String(base.dropLast(digits)), Int(base.suffix(digits))!)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
