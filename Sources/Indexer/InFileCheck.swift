import Foundation
import Media
import ViewfinderCore

/// Whether a rewritten copy may replace the photo: nothing but what we write changed, and the photo now reads
/// the caption we wrote.
enum InFileCheck {
    /// Why the copy must not replace the photo, or nil when it may.
    /// - Parameter regions: whether the face regions were written (then MWG's region tags may change).
    static func refusal(original: String, copy: String, caption: String?, regions: Bool, judge: TagComparison) -> String? {
        let changed: [String]
        do {
            changed = try judge.changes(from: original, to: copy, writtenGroups: regions ? [TagComparison.regionGroup] : [])
        } catch {
            return error.reason
        }
        if !changed.isEmpty {
            let named = changed.prefix(8).joined(separator: ", ")
            return "writing into it would also change \(named)" + (changed.count > 8 ? " and \(changed.count - 8) more tags" : "")
        }
        guard let caption else { return nil }
        // Readers take EXIF and IPTC descriptions before XMP's; an old one there would hide the new caption.
        guard let bytes = try? FileReading.read(copy, limit: Int.max), let raw = try? MetadataReader.read(bytes),
              MetadataInterpreter.interpret(embedded: raw, sidecar: nil, format: .jpeg).description
                  == caption.trimmingCharacters(in: .whitespacesAndNewlines) else {
            return "its EXIF or IPTC description, which readers take before XMP's, would still hide the caption"
        }
        return nil
    }
}
