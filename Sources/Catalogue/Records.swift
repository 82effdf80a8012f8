import Foundation
import ViewfinderCore

/// One photo file in the library, with everything read from it. Rows are per path; two paths with the
/// same content are duplicates and share thumbnails through `contentHash`.
public struct PhotoRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var path: String
    public var fileSize: Int64
    /// File modification time, nanoseconds since 1970.
    public var modifiedAt: Int64
    /// Modification time of the XMP sidecar read with the photo, if one was.
    public var sidecarModifiedAt: Int64?
    public var contentHash: String
    /// Set when a scan no longer finds the file; cleared when it (or a moved copy) turns up again.
    public var missing: Bool
    public var format: String
    public var width: Int
    public var height: Int
    public var orientation: Int
    public var taken: String?
    public var make: String?
    public var model: String?
    public var lens: String?
    public var focalLength: Double?
    public var fNumber: Double?
    public var exposureTime: Double?
    public var iso: Int?
    public var lat: Double?
    public var lon: Double?
    public var alt: Double?
    public var rating: Int?
    public var description: String?
    /// JSON array of strings.
    public var keywords: String
    public var thumbhash: Data?
    public var indexedAt: Double
    /// JSON array of named face regions (`NamedRegion`); nil when the photo has none.
    public var regions: String?
    /// A video's length in seconds; nil for photos.
    public var duration: Double?
    /// Apple's content identifier (a Live Photo's photo and video share it).
    public var contentIdentifier: String?
    /// The burst the photo was shot in, for stacks.
    public var burstIdentifier: String?
    /// `PerceptualHash.stored`; nil for photos indexed before it was kept, until their thumbnail gives them one.
    public var perceptualHash: Int64?

    public init(path: String, fileSize: Int64, modifiedAt: Int64, sidecarModifiedAt: Int64?, contentHash: ContentHash,
                metadata: PhotoMetadata, thumbhash: [UInt8]?, indexedAt: Double, perceptualHash: PerceptualHash? = nil) {
        self.path = path
        self.fileSize = fileSize
        self.modifiedAt = modifiedAt
        self.sidecarModifiedAt = sidecarModifiedAt
        self.contentHash = contentHash.hex
        self.missing = false
        self.format = metadata.format.rawValue
        self.width = metadata.width
        self.height = metadata.height
        self.orientation = metadata.orientation
        self.taken = metadata.taken
        self.make = metadata.make
        self.model = metadata.model
        self.lens = metadata.lens
        self.focalLength = metadata.focalLength
        self.fNumber = metadata.fNumber
        self.exposureTime = metadata.exposureTime
        self.iso = metadata.iso
        self.lat = metadata.gps?.lat
        self.lon = metadata.gps?.lon
        self.alt = metadata.gps?.alt
        self.rating = metadata.rating
        self.description = metadata.description
        self.keywords = String(decoding: (try? JSONEncoder().encode(metadata.keywords)) ?? Data("[]".utf8), as: UTF8.self)
        self.thumbhash = thumbhash.map { Data($0) }
        self.indexedAt = indexedAt
        self.regions = metadata.regions.isEmpty ? nil
            : (try? JSONEncoder().encode(metadata.regions)).map { String(decoding: $0, as: UTF8.self) }
        self.duration = metadata.duration
        self.contentIdentifier = metadata.contentIdentifier
        self.burstIdentifier = metadata.burstIdentifier
        self.perceptualHash = perceptualHash?.stored
    }

    /// A photo exactly as a store holds it, column by column.
    public init(id: Int64?, path: String, fileSize: Int64, modifiedAt: Int64, sidecarModifiedAt: Int64?, contentHash: String,
                missing: Bool, format: String, width: Int, height: Int, orientation: Int, taken: String?, make: String?,
                model: String?, lens: String?, focalLength: Double?, fNumber: Double?, exposureTime: Double?, iso: Int?,
                lat: Double?, lon: Double?, alt: Double?, rating: Int?, description: String?, keywords: String,
                thumbhash: Data?, indexedAt: Double, regions: String?,
                duration: Double? = nil, contentIdentifier: String? = nil, burstIdentifier: String? = nil,
                perceptualHash: Int64? = nil) {
        self.id = id
        self.path = path
        self.fileSize = fileSize
        self.modifiedAt = modifiedAt
        self.sidecarModifiedAt = sidecarModifiedAt
        self.contentHash = contentHash
        self.missing = missing
        self.format = format
        self.width = width
        self.height = height
        self.orientation = orientation
        self.taken = taken
        self.make = make
        self.model = model
        self.lens = lens
        self.focalLength = focalLength
        self.fNumber = fNumber
        self.exposureTime = exposureTime
        self.iso = iso
        self.lat = lat
        self.lon = lon
        self.alt = alt
        self.rating = rating
        self.description = description
        self.keywords = keywords
        self.thumbhash = thumbhash
        self.indexedAt = indexedAt
        self.regions = regions
        self.duration = duration
        self.contentIdentifier = contentIdentifier
        self.burstIdentifier = burstIdentifier
        self.perceptualHash = perceptualHash
    }

    /// The metadata as the domain knows it.
    public var metadata: PhotoMetadata {
        PhotoMetadata(
            width: width, height: height, orientation: orientation, taken: taken, make: make, model: model,
            lens: lens, focalLength: focalLength, fNumber: fNumber, exposureTime: exposureTime, iso: iso,
            gps: lat.flatMap { lat in lon.map { GPSPosition(lat: lat, lon: $0, alt: alt) } },
            rating: rating, description: description,
            keywords: keywords == "[]" ? [] : (try? JSONDecoder().decode([String].self, from: Data(keywords.utf8))) ?? [],
            regions: regions.flatMap { try? JSONDecoder().decode([NamedRegion].self, from: Data($0.utf8)) } ?? [],
            format: MediaFormat(rawValue: format) ?? .jpeg, duration: duration, contentIdentifier: contentIdentifier,
            burstIdentifier: burstIdentifier)
    }

    /// How the photo looks, in 64 bits; nil until it has been computed.
    public var looks: PerceptualHash? { perceptualHash.map(PerceptualHash.init(stored:)) }
}

/// What a job asks the indexer to do.
public enum JobKind: String, Codable, Sendable {
    /// Read a file: hash, metadata, thumbnail; or notice it moved.
    case index
    /// Render the 1440 px preview for a content hash (from any file holding it).
    case preview
    /// Have the models describe a photo (target: the photo's id).
    case describe
}

/// Durable work: written before the work starts, deleted in the transaction that stores its result,
/// so a kill at any moment leaves exactly the unfinished work behind, to be done again.
public struct JobRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var kind: JobKind
    /// A file path for `index`, a content hash for `preview`.
    public var target: String
    /// How many times the process crashed (a fatal signal, not a kill) while this job was in flight.
    public var crashes: Int

    public init(kind: JobKind, target: String) {
        self.kind = kind
        self.target = target
        self.crashes = 0
    }
}

/// A file that could not be indexed, or was indexed with a warning.
public struct ProblemRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var path: String
    /// The file's size and time when it failed, so an unchanged broken file is not read again.
    public var fileSize: Int64
    public var modifiedAt: Int64
    public var stage: IndexStage
    public var severity: ProblemSeverity
    public var reason: String
    public var recordedAt: Double

    public init(path: String, fileSize: Int64, modifiedAt: Int64, problem: IndexProblem, recordedAt: Double) {
        self.path = path
        self.fileSize = fileSize
        self.modifiedAt = modifiedAt
        self.stage = problem.stage
        self.severity = problem.severity
        self.reason = problem.reason
        self.recordedAt = recordedAt
    }
}

/// What the models said about a photo: caption, labels, text, faces and place, as JSON columns where they
/// are lists. Keyed by photo, with the content hash it was made from.
public struct DescriptionRecord: Codable, Sendable, Equatable {
    public var photoID: Int64
    public var contentHash: String
    public var caption: String
    /// JSON array of {name, score}, best first.
    public var labels: String
    public var text: String
    /// JSON array of {x, y, w, h, score}.
    public var faces: String
    public var faceCount: Int
    /// JSON {city, region, country, countryCode}, when the photo has GPS.
    public var place: String?
    /// JSON array of the model names that made it.
    public var models: String
    public var describedAt: Double

    public init(photoID: Int64, contentHash: String, caption: String, labels: String, text: String, faces: String,
                faceCount: Int, place: String?, models: String, describedAt: Double) {
        self.photoID = photoID
        self.contentHash = contentHash
        self.caption = caption
        self.labels = labels
        self.text = text
        self.faces = faces
        self.faceCount = faceCount
        self.place = place
        self.models = models
        self.describedAt = describedAt
    }
}

/// A photo's unit vector from one model, as little-endian float32.
public struct VectorRecord: Codable, Sendable, Equatable {
    public var photoID: Int64
    public var model: String
    public var vector: Data

    public init(photoID: Int64, model: String, values: [Float]) {
        self.photoID = photoID
        self.model = model
        self.vector = values.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// A vector as a store holds it: little-endian float32 bytes.
    public init(photoID: Int64, model: String, vector: Data) {
        self.photoID = photoID
        self.model = model
        self.vector = vector
    }
}
