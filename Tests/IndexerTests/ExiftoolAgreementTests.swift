import XCTest
import Indexer
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// Indexes the corpus's camera, format, GPS and orientation files and compares every field with
/// exiftool, the reference reader. Deliberate differences are rules below, each with its reason.
final class ExiftoolAgreementTests: XCTestCase {
    /// Camera-written captions that say nothing; we drop them, exiftool reports them.
    static let placeholders: Set<String> = ["OLYMPUS DIGITAL CAMERA", "SAMSUNG", "KONICA MINOLTA DIGITAL CAMERA", "SONY DSC"]

    func testFieldsAgreeWithExiftool() throws {
        let (folder, reason) = Corpus.folder("exif")
        guard let folder else { throw XCTSkip(reason) }
        // The corpus is here, so the oracle must be too: scripts/setup.sh installs it (libimage-exiftool-perl).
        let exiftool = try XCTUnwrap(programPath("exiftool"), "exiftool is missing: run scripts/setup.sh")
        let scratch = try ScratchFolder("exiftool")
        defer { scratch.remove() }
        let store = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let indexer = LibraryIndexer(store: store, renditions: try SQLiteRenditionStore(path: scratch.path + "/t.sqlite"))
        _ = try indexer.run(roots: [folder.path], previews: false)

        let output = try runProgram(exiftool, ["-j", "-n", "-a", "-G1", "-use", "MWG", "-r", folder.path])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        // A field neither reader found says nothing about agreement: only fields present on either side count.
        var agreed = 0, compared = 0, absentOnBoth = 0
        var differences = [String]()
        for entry in entries {
            let file = try XCTUnwrap(entry["SourceFile"] as? String)
            guard let photo = try store.photo(atPath: LibraryIndexer.canonical(file))?.metadata else {
                differences.append("\(file): not indexed")
                continue
            }
            for (field, expected, actual) in Self.fields(entry, photo) {
                if expected == nil, actual == nil {
                    absentOnBoth += 1
                    continue
                }
                compared += 1
                if Self.same(expected, actual) {
                    agreed += 1
                } else {
                    differences.append("\(URL(fileURLWithPath: file).lastPathComponent) \(field): exiftool \(expected ?? "nil"), ours \(actual ?? "nil")")
                }
            }
        }
        let rate = Double(agreed) / Double(max(compared, 1))
        print("exiftool agreement: \(agreed)/\(compared) fields present on either side (\(String(format: "%.2f", rate * 100))%) "
              + "over \(entries.count) files; \(absentOnBoth) absent on both")
        differences.forEach { print("  differs: \($0)") }
        XCTAssertGreaterThan(entries.count, 100)
        XCTAssertGreaterThan(compared, entries.count * 8, "most fields are present in camera files")
        XCTAssertEqual(differences, [], "every difference from exiftool must be a documented rule")
    }

    private static func value(_ entry: [String: Any], _ keys: String...) -> Any? {
        for key in keys {
            if let found = entry[key], !(found is NSNull) {
                if let text = found as? String, text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                return found
            }
        }
        return nil
    }

    private static func number(_ any: Any?) -> Double? {
        if let number = any as? NSNumber { return number.doubleValue }
        if let text = any as? String { return Double(text) }
        return nil
    }

    /// (field, exiftool's value with the deliberate rules applied, ours)
    static func fields(_ e: [String: Any], _ p: PhotoMetadata) -> [(String, Any?, Any?)] {
        let orientation = number(value(e, "IFD0:Orientation", "XMP-tiff:Orientation")).map { Int($0) } ?? 1
        let rotation = number(value(e, "QuickTime:Rotation")).map { Int($0) } ?? 0
        var width = number(value(e, "File:ImageWidth", "PNG:ImageWidth", "RIFF:ImageWidth", "GIF:ImageWidth",
                                 "QuickTime:ImageWidth", "IFD0:ImageWidth"))
        var height = number(value(e, "File:ImageHeight", "PNG:ImageHeight", "RIFF:ImageHeight", "GIF:ImageHeight",
                                  "QuickTime:ImageHeight", "IFD0:ImageHeight"))
        // We report the size as displayed; exiftool the size as stored. HEIF files turn by their irot box,
        // which outranks the EXIF tag.
        let heif = e["QuickTime:Rotation"] != nil
        if heif ? (rotation == 90 || rotation == 270) : orientation >= 5 { swap(&width, &height) }
        // A date of zeros or blanks is no date: we fall back to the digitised time, as MWG readers do.
        var taken = value(e, "ExifIFD:DateTimeOriginal") as? String
        var offset = value(e, "ExifIFD:OffsetTimeOriginal") as? String
        if taken.map({ $0.hasPrefix("0000") || $0.hasPrefix("    ") }) ?? true {
            taken = (value(e, "ExifIFD:CreateDate") as? String).flatMap { $0.hasPrefix("0000") ? nil : $0 }
            offset = value(e, "ExifIFD:OffsetTimeDigitized") as? String
        }
        // The offset belongs to the time it came with; ours is written after the time in ISO form.
        let ourOffset = p.taken.flatMap { $0.count > 19 ? String($0.dropFirst(19)) : nil }
        var description = (value(e, "MWG:Description", "Composite:Description") as? String)
            ?? (value(e, "MWG:Description", "Composite:Description") as? NSNumber)?.stringValue
        if let text = description, placeholders.contains(text.trimmingCharacters(in: .whitespaces)) { description = nil }
        // ISO 0 means "not recorded".
        let iso = number(value(e, "ExifIFD:ISO")).flatMap { $0 > 0 ? $0 : nil }
        // Where the EXIF position is unreadable exiftool's composite is empty; we read the XMP copy.
        let lat = number(value(e, "Composite:GPSLatitude", "XMP-exif:GPSLatitude"))
        let lon = number(value(e, "Composite:GPSLongitude", "XMP-exif:GPSLongitude"))
        let keywords: [String] = {
            switch value(e, "MWG:Keywords", "Composite:Keywords") {
            case let list as [Any]: return list.map { "\($0)" }
            case let one?: return ["\(one)"]
            case nil: return []
            }
        }()
        let format = (value(e, "File:FileType") as? String).map { type -> String in
            switch type.lowercased() {
            case "jpeg", "jpg": "jpeg"
            case "nef", "cr2", "arw", "dng", "rw2", "orf": "raw"
            case "heif": "heic"
            case "extended webp": "webp"
            case let other: other
            }
        }
        return [
            ("make", value(e, "IFD0:Make"), p.make), ("model", value(e, "IFD0:Model"), p.model),
            ("lens", value(e, "ExifIFD:LensModel", "XMP-exifEX:LensModel", "XMP-aux:Lens"), p.lens),
            ("focalLength", number(value(e, "ExifIFD:FocalLength")), p.focalLength),
            ("fNumber", number(value(e, "ExifIFD:FNumber")), p.fNumber),
            ("exposureTime", number(value(e, "ExifIFD:ExposureTime")), p.exposureTime),
            ("iso", iso, p.iso.map(Double.init)),
            ("gps.lat", lat, p.gps?.lat), ("gps.lon", lon, p.gps?.lon),
            ("gps.alt", lat == nil ? nil : number(value(e, "Composite:GPSAltitude")), p.gps?.alt),
            ("orientation", Double(orientation), Double(p.orientation)),
            ("rating", number(value(e, "XMP-xmp:Rating")), p.rating.map(Double.init)),
            ("description", description?.trimmingCharacters(in: .whitespaces), p.description),
            ("keywords", keywords.joined(separator: "|"), p.keywords.joined(separator: "|")),
            ("taken", taken.map { String($0.prefix(19)) }, p.taken.map { isoToExif(String($0.prefix(19))) }),
            ("taken.offset", taken == nil ? nil : offset, ourOffset),
            ("width", width, Double(p.width)), ("height", height, Double(p.height)),
            ("format", format, p.format == .mpo ? "mpo" : p.format.rawValue),
        ]
    }

    private static func isoToExif(_ iso: String) -> String {
        iso.replacingOccurrences(of: "-", with: ":").replacingOccurrences(of: "T", with: " ")
    }

    static func same(_ expected: Any?, _ actual: Any?) -> Bool {
        switch (expected, actual) {
        case (nil, nil): return true
        case let (a as Double, b as Double): return abs(a - b) <= max(1e-4, abs(a) * 1e-3)
        case let (a as NSNumber, b as Double): return abs(a.doubleValue - b) <= max(1e-4, abs(b) * 1e-3)
        case let (a?, b?): return "\(a)".trimmingCharacters(in: .whitespaces) == "\(b)"
        default: return false
        }
    }
}
