import Foundation
import Catalogue
import ViewfinderCore
import Vision

/// The stable JSON shape scripts rely on; every key is always present.
public struct PhotoDetail: Encodable, Sendable {
    public var path: String
    public var metadata: PhotoMetadata
    public var sha256: String
    public var fileSize: Int64
    public var duplicates: [String]
    public var problems: [IndexProblem]
    /// What the models said; nil until the photo is described.
    public var vision: StoredDescription?
    /// Its faces, with whose each is where known.
    public var faces: [FaceDetail]

    enum Keys: String, CodingKey {
        case path, width, height, orientation, taken, make, model, lens, focalLength, fNumber, exposureTime, iso,
             gps, rating, description, keywords, regions, format, video, duration, contentIdentifier, sha256, fileSize,
             duplicates, problems,
             caption, labels, text, faces, place
    }

    public func encode(to encoder: Encoder) throws {
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
        try c.encode(m.regions, forKey: .regions)
        try c.encode(m.format, forKey: .format)
        try c.encode(m.format.isVideo, forKey: .video)
        try c.encode(m.duration, forKey: .duration)
        try c.encode(m.contentIdentifier, forKey: .contentIdentifier)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(fileSize, forKey: .fileSize)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(problems, forKey: .problems)
        try c.encode(vision?.caption, forKey: .caption)
        try c.encode(vision?.labels, forKey: .labels)
        try c.encode(vision?.text, forKey: .text)
        try c.encode(vision.map { _ in faces }, forKey: .faces)
        try c.encode(vision?.place, forKey: .place)
    }

    /// Everything the catalogue knows about one photo; `relativeTo` strips the library's shared folder.
    public init(_ photo: PhotoRecord, store: PhotoStore, relativeTo root: String = "") throws {
        path = String(photo.path.dropFirst(root.count))
        metadata = photo.metadata
        sha256 = photo.contentHash
        fileSize = photo.fileSize
        duplicates = try store.photos(withContentHash: photo.contentHash).map(\.path).filter { $0 != photo.path }
            .map { String($0.dropFirst(root.count)) }
        problems = try store.problems(at: photo.path).map { IndexProblem($0.stage, $0.severity, $0.reason) }
        vision = try photo.id.flatMap { try store.description(photoID: $0) }.map(StoredDescription.init)
        let people = try photo.id.map { try store.people(inPhotos: [$0])[$0] ?? [] } ?? []
        let owners = try photo.id.map { try store.faces(photoID: $0) } ?? []
        faces = (vision?.faces ?? []).enumerated().map { index, face in
            let owner = owners.first { $0.key.index == index }?.personID
            return FaceDetail(face, person: people.first { $0.id == owner }.map { FaceDetail.Person(id: $0.id, name: $0.name) })
        }
    }
}

/// One face as `show --json` and the photo API give it: its box, and whose it is when someone's.
public struct FaceDetail: Encodable, Sendable {
    public struct Person: Encodable, Sendable {
        public var id: Int64
        public var name: String?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
        }

        enum CodingKeys: String, CodingKey { case id, name }
    }

    public var x, y, w, h, score: Double
    public var quality: Double?
    public var person: Person?

    public init(_ face: PhotoDescription.Face, person: Person?) {
        (x, y, w, h, score, quality) = (face.x, face.y, face.w, face.h, face.score, face.quality)
        self.person = person
    }
}

/// A stored description read back into the shapes the worker sent.
public struct StoredDescription: Sendable {
    public var caption: String
    public var labels: [PhotoDescription.Label]
    public var text: String
    public var faces: [PhotoDescription.Face]
    public var place: PhotoDescription.Place?

    public init(_ record: DescriptionRecord) {
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
