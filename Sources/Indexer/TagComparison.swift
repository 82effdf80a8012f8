import Foundation
import ViewfinderCore

/// exiftool as the judge of an in-file write: it reads far more than exiv2 (maker-note sub-IFDs and their
/// previews, every XMP namespace, rdf:about, IPTC digests), and it is not the library that did the writing, so a
/// loss in exiv2's model of a file cannot hide from it.
public struct TagComparison: Sendable {
    public let exiftool: String

    /// exiftool on PATH, or nil (then nothing is written into photos).
    public static func locate() -> TagComparison? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/exiftool" }.first { access($0, X_OK) == 0 }.map(TagComparison.init)
    }

    public init(exiftool: String) { self.exiftool = exiftool }

    /// Tags a write-back may change, each for a reason:
    static let exempt: Set<String> = [
        "SourceFile", "ExifTool:ExifToolVersion",
        // What we write.
        "XMP-dc:Description", "XMP-digiKam:TagsList",
        // exiv2 stamps its own name in the packet's x:xmptk attribute, as every XMP writer does.
        "XMP-x:XMPToolkit",
    ]
    /// MWG's region tags, which written face regions replace (each region field is one tag over all regions).
    static let regionGroup = "XMP-mwg-rs"
    /// The file system's view (name, size, dates, permissions), not the photo's.
    static let exemptGroups: Set<String> = ["System"]
    /// Positions, which move with the segments before them; what they point to is compared byte for byte (-b).
    static let positions: Set<String> = ["ThumbnailOffset", "StripOffsets", "TileOffsets", "PreviewImageStart",
                                         "JpgFromRawStart", "OtherImageStart"]

    /// The tags whose values differ between the photo and its rewritten copy, exemptions left out; empty when
    /// the copy is the photo plus what we wrote. `writtenGroups`: whole groups the write replaced.
    public func changes(from original: String, to copy: String, writtenGroups: Set<String> = []) throws(IndexProblem) -> [String] {
        try comparison(from: original, to: copy, writtenGroups: writtenGroups).changed
    }

    /// `changes`, with every tag of the copy as read (-n), for a check of what the write set.
    public func comparison(from original: String, to copy: String,
                           writtenGroups: Set<String> = []) throws(IndexProblem) -> (changed: [String], copy: [String: Any]) {
        let (before, after) = try read(original, copy)
        let changed = Set(before.keys).union(after.keys).filter { key in
            guard !Self.exempt.contains(key) else { return false }
            let parts = key.split(separator: ":")
            if let group = parts.first, Self.exemptGroups.contains(String(group)) || writtenGroups.contains(String(group)) {
                return false
            }
            if let name = parts.last, Self.positions.contains(String(name)) { return false }
            return !(before[key] as? NSObject == after[key] as? NSObject)
        }.sorted()
        return (changed, after)
    }

    /// Every tag of both files, duplicates numbered (-G1:4), binary values in full (-b), numbers unformatted (-n).
    private func read(_ original: String, _ copy: String) throws(IndexProblem) -> ([String: Any], [String: Any]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exiftool)
        process.arguments = ["-j", "-a", "-G1:4", "-s", "-n", "-b", "-charset", "filename=utf8", "--", original, copy]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let bytes: Data
        do {
            try process.run()
            bytes = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        } catch {
            throw IndexProblem(.writeBack, "exiftool did not run: \(error)")
        }
        guard let files = try? JSONSerialization.jsonObject(with: bytes) as? [[String: Any]], files.count == 2 else {
            throw IndexProblem(.writeBack, "exiftool gave no reading of the photo")
        }
        return (files[0], files[1])
    }
}
