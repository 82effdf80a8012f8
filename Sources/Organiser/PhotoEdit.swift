import Foundation
import Indexer
import ViewfinderCore

/// What `--fix-dates` and `--upright` do to one photo's organised copy (never to a source that stays).
struct PhotoEdit: Sendable, Equatable {
    /// The date to write into EXIF, where the photo has none.
    var date: CaptureDate?
    var turn: LosslessTurn?

    var isEmpty: Bool { date == nil && turn == nil }

    /// What the plan says the photo gets: "date written", "turned 90°".
    var changes: [String] { (date == nil ? [] : ["date written"]) + (turn.map { [$0.description] } ?? []) }

    /// The edit a photo gets, and why it gets less than asked (a video, a HEIC, a turn jpegtran would refuse).
    static func plan(_ facts: PhotoFacts, path: String, fixDates: Bool, upright: Bool) -> (PhotoEdit, [String]) {
        var edit = PhotoEdit(), reasons = [String]()
        let isJPEG = facts.format == .jpeg
        let kind = facts.format?.isVideo == true ? "a video" : facts.format.map { "a \($0.rawValue.uppercased()) file" } ?? "not a photo exiv2 reads"
        if fixDates, facts.source != .exif {
            if !isJPEG {
                reasons.append("date not written: \(kind); only JPEG dates are written")
            } else if let unread = facts.unreadExifDate {
                reasons.append("date not written: EXIF DateTimeOriginal holds \"\(unread)\", which is no date, and it is never replaced")
            } else {
                edit.date = facts.date
            }
        }
        if upright, facts.orientation != 1 {
            if !isJPEG {
                reasons.append("not turned: \(kind); only JPEGs are turned losslessly")
            } else if let other = facts.xmpOrientation {
                reasons.append("not turned: its XMP records orientation \(other) too, which a turn would leave wrong")
            } else if let turn = LosslessTurn(orientation: facts.orientation) {
                if let refusal = turn.refusal(for: path) { reasons.append("not turned: " + refusal) } else { edit.turn = turn }
            }
        }
        return (edit, reasons)
    }

    /// Makes the edit on `path` (organise's own copy), then has exiftool confirm that nothing else changed from
    /// `original`: each tag it reads is the same, but for the dates written, or the orientation and size turned.
    func apply(to path: String, original: String, judge: TagComparison) throws(OrganiseError) {
        if let turn { try turn.apply(to: path) }
        if let date { try DateFixing.write(date, into: path) }
        let (changed, tags): ([String], [String: Any])
        do throws(IndexProblem) { (changed, tags) = try judge.comparison(from: original, to: path) } catch {
            throw OrganiseError("cannot compare \(path) with \(original): \(error.reason)")
        }
        let unexpected = changed.filter { key in
            let parts = key.split(separator: ":").map(String.init)
            return !(parts.first == "Composite" || Self.allowed(turned: turn, dated: date != nil).contains(parts.last ?? ""))
        }
        guard unexpected.isEmpty else {
            throw OrganiseError("exiftool reads more changed than was asked (\(unexpected.joined(separator: ", ")))")
        }
        // What was asked must read as done too, not only nothing else changed.
        if turn != nil, (tags["IFD0:Orientation"] as? NSNumber)?.intValue != 1 {
            throw OrganiseError("exiftool does not read Orientation 1 after the turn (\(tags["IFD0:Orientation"].map { "\($0)" } ?? "none"))")
        }
        if date != nil, tags["ExifIFD:DateTimeOriginal"] == nil {
            throw OrganiseError("exiftool reads no DateTimeOriginal after the date was written")
        }
    }

    /// The tags (exiftool's names) each edit may change. Composite tags are derived from these and not compared.
    static func allowed(turned: LosslessTurn?, dated: Bool) -> Set<String> {
        var names = Set<String>()
        // A JPEG without EXIF gets a block, and with it a byte order.
        if dated { names.formUnion(["DateTimeOriginal", "CreateDate", "OffsetTimeOriginal", "OffsetTimeDigitized", "ExifByteOrder"]) }
        if let turned {
            names.formUnion(["Orientation", "ImageWidth", "ImageHeight", "ExifImageWidth", "ExifImageHeight"])
            // A quarter turn swaps the chroma blocks' width and height too (4:2:2 becomes 4:4:0).
            if turned.orientation >= 5 { names.insert("YCbCrSubSampling") }
        }
        return names
    }
}
