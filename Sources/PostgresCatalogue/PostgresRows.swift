import Catalogue
import Foundation
import NIOCore
import PostgresNIO
import ViewfinderCore

/// Reads a row's columns in the order a query named them.
struct RowReader {
    private let cells: PostgresRandomAccessRow
    private var next = 0

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    mutating func read<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        defer { next += 1 }
        return try cells[next].decode(T.self, context: .default)
    }

    mutating func bytes() throws -> Data? {
        try read(ByteBuffer?.self).map { Data($0.readableBytesView) }
    }
}

extension ByteBuffer {
    init(_ data: Data) { self.init(bytes: data) }
}

extension PhotoRecord {
    static let columns = """
        id, path, fileSize, modifiedAt, sidecarModifiedAt, contentHash, missing, format, width, height, orientation,
        taken, make, model, lens, focalLength, fNumber, exposureTime, iso, lat, lon, alt, rating, description,
        keywords, thumbhash, indexedAt, regions, duration, contentIdentifier, burstIdentifier, perceptualHash
        """

    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        self.init(id: try r.read(), path: try r.read(), fileSize: try r.read(), modifiedAt: try r.read(),
                  sidecarModifiedAt: try r.read(), contentHash: try r.read(), missing: try r.read(), format: try r.read(),
                  width: try r.read(), height: try r.read(), orientation: try r.read(), taken: try r.read(),
                  make: try r.read(), model: try r.read(), lens: try r.read(), focalLength: try r.read(),
                  fNumber: try r.read(), exposureTime: try r.read(), iso: try r.read(), lat: try r.read(),
                  lon: try r.read(), alt: try r.read(), rating: try r.read(), description: try r.read(),
                  keywords: try r.read(), thumbhash: try r.bytes(), indexedAt: try r.read(),
                  regions: try r.read(), duration: try r.read(), contentIdentifier: try r.read(), burstIdentifier: try r.read(),
                  perceptualHash: try r.read())
    }

    /// The values for every column but `id`, in `columns` order.
    var bindings: PostgresBindings {
        var b = PostgresBindings(capacity: 30)
        b.append(path); b.append(fileSize); b.append(modifiedAt); b.append(sidecarModifiedAt); b.append(contentHash)
        b.append(missing); b.append(format); b.append(width); b.append(height); b.append(orientation); b.append(taken)
        b.append(make); b.append(model); b.append(lens); b.append(focalLength); b.append(fNumber); b.append(exposureTime)
        b.append(iso); b.append(lat); b.append(lon); b.append(alt); b.append(rating); b.append(description)
        b.append(keywords); b.append(thumbhash.map { ByteBuffer($0) } as ByteBuffer?); b.append(indexedAt)
        b.append(regions); b.append(duration); b.append(contentIdentifier); b.append(burstIdentifier); b.append(perceptualHash)
        return b
    }
}

extension JobRecord {
    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        let id: Int64 = try r.read(), kind: String = try r.read(), target: String = try r.read(), crashes: Int = try r.read()
        guard let known = JobKind(rawValue: kind) else { throw CatalogueDecodingError(what: "job kind '\(kind)'") }
        self.init(kind: known, target: target)
        self.id = id
        self.crashes = crashes
    }
}

extension ProblemRecord {
    static let columns = "id, path, fileSize, modifiedAt, stage, severity, reason, recordedAt"

    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        let id: Int64 = try r.read(), path: String = try r.read(), size: Int64 = try r.read(), time: Int64 = try r.read()
        let stage: String = try r.read(), severity: String = try r.read(), reason: String = try r.read()
        let recordedAt: Double = try r.read()
        guard let stage = IndexStage(rawValue: stage), let severity = ProblemSeverity(rawValue: severity) else {
            throw CatalogueDecodingError(what: "problem stage '\(stage)' or severity '\(severity)'")
        }
        self.init(path: path, fileSize: size, modifiedAt: time,
                  problem: IndexProblem(stage, severity, reason), recordedAt: recordedAt)
        self.id = id
    }
}

extension DescriptionRecord {
    static let columns = "photoID, contentHash, caption, labels, text, faces, faceCount, place, models, describedAt"

    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        self.init(photoID: try r.read(), contentHash: try r.read(), caption: try r.read(), labels: try r.read(),
                  text: try r.read(), faces: try r.read(), faceCount: try r.read(), place: try r.read(),
                  models: try r.read(), describedAt: try r.read())
    }
}

extension VectorRecord {
    init(_ row: PostgresRow) throws {
        var r = RowReader(row)
        let photoID: Int64 = try r.read(), model: String = try r.read()
        self.init(photoID: photoID, model: model, vector: try r.bytes() ?? Data())
    }
}

/// A value in the catalogue that this version does not know (written by a newer one).
struct CatalogueDecodingError: Error, CustomStringConvertible {
    var what: String
    var description: String { "the catalogue holds an unknown \(what): is a newer Viewfinder writing to it?" }
}
