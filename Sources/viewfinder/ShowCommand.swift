import ArgumentParser
import Foundation
import Indexer
import Store
import ViewfinderCore
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

    /// The stable JSON shape scripts rely on; every key is always present.
    struct PhotoDetail: Encodable {
        var path: String
        var metadata: PhotoMetadata
        var sha256: String
        var fileSize: Int64
        var duplicates: [String]
        var problems: [IndexProblem]
        /// What the models said; nil until the photo is described.
        var vision: StoredDescription?

        enum Keys: String, CodingKey {
            case path, width, height, orientation, taken, make, model, lens, focalLength, fNumber, exposureTime, iso,
                 gps, rating, description, keywords, format, sha256, fileSize, duplicates, problems,
                 caption, labels, text, faces, place
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let m = metadata
            try c.encode(path, forKey: .path)
            try c.encode(m.width, forKey: .width)
            try c.encode(m.height, forKey: .height)
            try c.encode(m.orientation, forKey: .orientation)
            try c.encode(m.taken, forKey: .taken)
            try c.encode(m.make, forKey: .make)
            try c.encode(m.model, forKey: .model)
            try c.encode(m.lens, forKey: .lens)
            try c.encode(m.focalLength, forKey: .focalLength)
            try c.encode(m.fNumber, forKey: .fNumber)
            try c.encode(m.exposureTime, forKey: .exposureTime)
            try c.encode(m.iso, forKey: .iso)
            try c.encode(m.gps, forKey: .gps)
            try c.encode(m.rating, forKey: .rating)
            try c.encode(m.description, forKey: .description)
            try c.encode(m.keywords, forKey: .keywords)
            try c.encode(m.format, forKey: .format)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(fileSize, forKey: .fileSize)
            try c.encode(duplicates, forKey: .duplicates)
            try c.encode(problems, forKey: .problems)
            try c.encode(vision?.caption, forKey: .caption)
            try c.encode(vision?.labels, forKey: .labels)
            try c.encode(vision?.text, forKey: .text)
            try c.encode(vision?.faces, forKey: .faces)
            try c.encode(vision?.place, forKey: .place)
        }
    }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let absolute = LibraryIndexer.canonical(path)
        guard let photo = try library.store.photo(atPath: absolute) else {
            let failures = try library.store.problems(at: absolute)
            if let failure = failures.first(where: { $0.severity == .error }) {
                throw ValidationError("\(path) could not be indexed: \(failure.stage.rawValue): \(failure.reason)")
            }
            throw ValidationError("\(path) is not in the catalogue at \(library.folder); run `viewfinder index` on its folder first")
        }
        let duplicates = try library.store.photos(withContentHash: photo.contentHash).map(\.path).filter { $0 != photo.path }
        let problems = try library.store.problems(at: absolute).map {
            IndexProblem($0.stage, $0.severity, $0.reason)
        }
        let detail = PhotoDetail(path: photo.path, metadata: photo.metadata, sha256: photo.contentHash,
                                 fileSize: photo.fileSize, duplicates: duplicates, problems: problems,
                                 vision: try photo.id.flatMap { try library.store.description(photoID: $0) }.map(StoredDescription.init))
        if json { return try JSONOutput.print(detail) }
        print(Self.table(detail))
    }

    static func table(_ detail: PhotoDetail) -> String {
        let m = detail.metadata
        var rows: [(String, String?)] = [
            ("path", detail.path), ("format", m.format.rawValue), ("size", "\(m.width) × \(m.height)"),
            ("orientation", String(m.orientation)), ("taken", m.taken), ("camera", [m.make, m.model].compactMap { $0 }.joined(separator: " ")),
            ("lens", m.lens), ("focal length", m.focalLength.map { String(format: "%g mm", $0) }),
            ("aperture", m.fNumber.map { String(format: "f/%g", $0) }),
            ("exposure", m.exposureTime.map { $0 < 1 ? String(format: "1/%.0f s", 1 / $0) : String(format: "%g s", $0) }),
            ("iso", m.iso.map(String.init)),
            ("gps", m.gps.map { String(format: "%.6f, %.6f", $0.lat, $0.lon) + ($0.alt.map { String(format: ", %.0f m", $0) } ?? "") }),
            ("rating", m.rating.map(String.init)), ("description", m.description),
            ("keywords", m.keywords.isEmpty ? nil : m.keywords.joined(separator: ", ")), ("sha256", detail.sha256),
        ]
        if let vision = detail.vision {
            rows += [("caption", vision.caption),
                     ("labels", vision.labels.prefix(12).map { String(format: "%@ %.2f", $0.name, $0.score) }.joined(separator: ", ")),
                     ("text", vision.text.replacingOccurrences(of: "\n", with: " / ")),
                     ("faces", vision.faces.isEmpty ? nil : String(vision.faces.count)),
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

/// A stored description read back into the shapes the worker sent.
struct StoredDescription {
    var caption: String
    var labels: [PhotoDescription.Label]
    var text: String
    var faces: [PhotoDescription.Face]
    var place: PhotoDescription.Place?

    init(_ record: DescriptionRecord) {
        func decode<T: Decodable>(_ json: String?, as type: T.Type) -> T? {
            json.flatMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) }
        }
        caption = record.caption
        labels = decode(record.labels, as: [PhotoDescription.Label].self) ?? []
        text = record.text
        faces = decode(record.faces, as: [PhotoDescription.Face].self) ?? []
        place = decode(record.place, as: PhotoDescription.Place.self)
    }
}
