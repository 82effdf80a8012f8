import ArgumentParser
import Foundation
import Indexer
import Catalogue
import SQLiteCatalogue
import ViewfinderCore
import Server
import Vision

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Everything known about one photo.",
        discussion: """
            Examples:
              viewfinder show ~/Pictures/2019/IMG_0042.JPG
              viewfinder show --json ~/Pictures/2019/IMG_0042.JPG | jq .gps
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Print as JSON (camelCase keys; absent values are null).")
    var json = false

    @Argument(help: "The photo's path.", completion: .file())
    var path: String

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let absolute = LibraryIndexer.canonical(path)
        guard let photo = try library.store.photo(atPath: absolute) else {
            let failures = try library.store.problems(at: absolute)
            if let failure = failures.first(where: { $0.severity == .error }) {
                throw ValidationError("\(path) could not be indexed: \(failure.stage.rawValue): \(failure.reason)")
            }
            throw ValidationError("\(path) is not in the catalogue at \(library.location); run `viewfinder index` on its folder first")
        }
        let detail = try PhotoDetail(photo, store: library.store)
        if json { return try JSONOutput.print(detail) }
        print(Self.table(detail))
    }

    /// The people among a photo's faces, by name or number: " (Ada Lovelace, person 4)".
    static func whose(_ faces: [FaceDetail]) -> String {
        let people = faces.compactMap(\.person).map { $0.name ?? "person \($0.id)" }
        return people.isEmpty ? "" : " (" + people.joined(separator: ", ") + ")"
    }

    static func table(_ detail: PhotoDetail) -> String {
        let m = detail.metadata
        var rows: [(String, String?)] = [
            ("path", detail.path), ("format", m.format.rawValue), ("size", "\(m.width) × \(m.height)"),
            ("length", m.duration.map { String(format: "%.1f s", $0) }), ("content id", m.contentIdentifier),
            ("orientation", String(m.orientation)), ("taken", m.taken), ("camera", [m.make, m.model].compactMap { $0 }.joined(separator: " ")),
            ("lens", m.lens), ("focal length", m.focalLength.map { String(format: "%g mm", $0) }),
            ("aperture", m.fNumber.map { String(format: "f/%g", $0) }),
            ("exposure", m.exposureTime.map { $0 < 1 ? String(format: "1/%.0f s", 1 / $0) : String(format: "%g s", $0) }),
            ("iso", m.iso.map(String.init)),
            ("gps", m.gps.map { String(format: "%.6f, %.6f", $0.lat, $0.lon) + ($0.alt.map { String(format: ", %.0f m", $0) } ?? "") }),
            ("rating", m.rating.map(String.init)), ("description", m.description),
            ("keywords", m.keywords.isEmpty ? nil : m.keywords.joined(separator: ", ")), ("sha256", detail.sha256),
        ]
        rows += m.regions.map { ("named face", String(format: "%@ at %.2f, %.2f (%.2f × %.2f)", $0.name, $0.x, $0.y, $0.w, $0.h)) }
        if let vision = detail.vision {
            rows += [("caption", vision.caption),
                     ("labels", vision.labels.prefix(12).map { String(format: "%@ %.2f", $0.name, $0.score) }.joined(separator: ", ")),
                     ("text", vision.text.replacingOccurrences(of: "\n", with: " / ")),
                     ("faces", vision.faces.isEmpty ? nil : String(vision.faces.count) + Self.whose(detail.faces)),
                     ("place", vision.place.map { [$0.city, $0.region, $0.country].compactMap { $0 }.joined(separator: ", ") })]
        }
        rows += detail.duplicates.map { ("duplicate", $0) }
        rows += detail.problems.map { ("warning", $0.description) }
        return rows.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return key.padding(toLength: 13, withPad: " ", startingAt: 0) + value
        }.joined(separator: "\n")
    }
}
