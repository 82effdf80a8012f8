import Foundation
import Indexer
import Media
import ViewfinderCore

/// The jpegtran transform that puts a JPEG's pixels the way its EXIF Orientation says they are shown, in the DCT
/// domain (no decoding, no quality lost); then Orientation is set to 1.
struct LosslessTurn: Sendable, Equatable {
    /// EXIF Orientation, 2–8.
    let orientation: Int

    init?(orientation: Int) {
        guard (2...8).contains(orientation) else { return nil }
        self.orientation = orientation
    }

    /// jpegtran's words for undoing each orientation (6: the camera was turned right, so the pixels turn 90° clockwise).
    var arguments: [String] {
        switch orientation {
        case 2: ["-flip", "horizontal"]
        case 3: ["-rotate", "180"]
        case 4: ["-flip", "vertical"]
        case 5: ["-transpose"]
        case 6: ["-rotate", "90"]
        case 7: ["-transverse"]
        default: ["-rotate", "270"]
        }
    }

    /// What the plan says the photo gets.
    var description: String {
        switch orientation {
        case 2: "flipped left to right"
        case 3: "turned 180°"
        case 4: "flipped top to bottom"
        case 5: "turned 90° and flipped"
        case 6: "turned 90°"
        case 7: "turned 270° and flipped"
        default: "turned 270°"
        }
    }

    /// Why jpegtran would refuse this photo (`-perfect`: an edge of partial blocks cannot move without trimming
    /// pixels, which is never done), or nil when the turn works. Writes nothing.
    func refusal(for path: String) -> String? {
        do throws(IndexProblem) {
            _ = try Self.jpegtran.run(["-perfect", "-copy", "none"] + arguments + ["-outfile", "/dev/null", path], stage: .writeBack)
            return nil
        } catch {
            return error.reason.contains("transformation is not perfect")
                ? "its width or height is not a whole number of the JPEG's pixel blocks, so it cannot turn without trimming pixels"
                : error.reason
        }
    }

    /// Turns the JPEG at `path` (a copy of the organiser's own): jpegtran writes a file beside it, which replaces it
    /// once fsynced; every marker (EXIF, XMP, ICC, maker notes) is kept, then Orientation becomes 1 in place.
    func apply(to path: String) throws(OrganiseError) {
        do throws(IndexProblem) {
            try FileReplacement.replace(path, scratch: Self.scratch(for: path)) { turned throws(IndexProblem) in
                _ = try Self.jpegtran.run(["-perfect", "-copy", "all"] + arguments + ["-outfile", turned, path], stage: .writeBack)
            }
        } catch {
            throw OrganiseError("jpegtran could not turn \(path): \(error.reason)")
        }
        try markUpright(path)
    }

    /// Orientation 1, and PixelX/YDimension the turned size, each patched in place where the photo has it.
    private func markUpright(_ path: String) throws(OrganiseError) {
        var photo = try JPEGExif(path: path)
        guard let size = photo.size else { throw OrganiseError("\(path): the turned JPEG has no frame header") }
        // Pixels turned under an Orientation still saying 6 would show turned twice: such a photo is not edited.
        guard photo.patch(tag: 0x0112, to: 1) else {
            throw OrganiseError("not turned: its EXIF Orientation is not one SHORT or LONG value, so it cannot be set to 1 in place")
        }
        photo.patch(tag: 0xA002, inExifIFD: true, to: size.width)
        photo.patch(tag: 0xA003, inExifIFD: true, to: size.height)
        try JPEGExif.write(photo.bytes, over: path)
    }

    /// Where jpegtran writes before its output replaces the copy (a kill may leave it; a rerun removes it).
    static func scratch(for path: String) -> String { path + ".turned" }

    static let jpegtran = ToolProcess(name: "jpegtran", seconds: 120, maxOutput: 1 << 20)
}
