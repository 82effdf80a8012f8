/// One cell of a row copied between catalogues, in the few shapes both stores hold: a boolean travels as 0 or 1.
public enum TransferValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])
}

/// A column's type as both stores declare it.
public enum TransferColumnType: Sendable {
    case integer, boolean, real, text, bytes
}

public struct TransferColumn: Sendable {
    public var name: String
    public var type: TransferColumnType

    init(_ name: String, _ type: TransferColumnType) {
        self.name = name
        self.type = type
    }
}

/// One row, its cells in the order of its kind's columns; the first `keyCount` cells are its key.
public struct TransferRow: Sendable, Equatable {
    public var cells: [TransferValue]

    public init(cells: [TransferValue]) { self.cells = cells }
}

/// Everything a catalogue holds, kind by kind, in the order a copy writes them: photos first, as the rest refers
/// to them by id, and people before the faces that name them. The tables and columns are the same in both stores; the search change log is not copied (a
/// copy logs its own changes) and neither are job claims (a copy's jobs wait for its own processes).
public enum TransferKind: String, CaseIterable, Sendable {
    case photos, descriptions, vectors, people, faces, offline, problems, jobs, settings, renditions

    public var table: String {
        switch self {
        case .photos: "photo"
        case .descriptions: "description"
        case .vectors: "vector"
        case .people: "person"
        case .faces: "face"
        case .offline: "offline"
        case .problems: "problem"
        case .jobs: "job"
        case .settings: "setting"
        case .renditions: "rendition"
        }
    }

    /// The key's columns come first.
    public var columns: [TransferColumn] {
        switch self {
        case .photos:
            [.init("id", .integer), .init("path", .text), .init("fileSize", .integer), .init("modifiedAt", .integer),
             .init("sidecarModifiedAt", .integer), .init("contentHash", .text), .init("missing", .boolean),
             .init("format", .text), .init("width", .integer), .init("height", .integer), .init("orientation", .integer),
             .init("taken", .text), .init("make", .text), .init("model", .text), .init("lens", .text),
             .init("focalLength", .real), .init("fNumber", .real), .init("exposureTime", .real), .init("iso", .integer),
             .init("lat", .real), .init("lon", .real), .init("alt", .real), .init("rating", .integer),
             .init("description", .text), .init("keywords", .text), .init("thumbhash", .bytes), .init("indexedAt", .real),
             .init("regions", .text), .init("duration", .real), .init("contentIdentifier", .text), .init("burstIdentifier", .text),
             .init("perceptualHash", .integer)]
        case .descriptions:
            [.init("photoID", .integer), .init("contentHash", .text), .init("caption", .text), .init("labels", .text),
             .init("text", .text), .init("faces", .text), .init("faceCount", .integer), .init("place", .text),
             .init("models", .text), .init("describedAt", .real)]
        case .vectors:
            [.init("photoID", .integer), .init("model", .text), .init("vector", .bytes)]
        case .people:
            [.init("id", .integer), .init("name", .text), .init("hidden", .boolean), .init("createdAt", .real)]
        case .faces:
            [.init("photoID", .integer), .init("faceIndex", .integer), .init("x", .real), .init("y", .real), .init("w", .real),
             .init("h", .real), .init("descriptor", .bytes), .init("quality", .real), .init("personID", .integer),
             .init("movedByHand", .boolean), .init("clustered", .boolean), .init("representative", .boolean)]
        case .offline:
            [.init("photoID", .integer), .init("since", .real), .init("reason", .text)]
        case .problems:
            [.init("id", .integer), .init("path", .text), .init("fileSize", .integer), .init("modifiedAt", .integer),
             .init("stage", .text), .init("severity", .text), .init("reason", .text), .init("recordedAt", .real)]
        case .jobs:
            [.init("id", .integer), .init("kind", .text), .init("target", .text), .init("crashes", .integer)]
        case .settings:
            [.init("key", .text), .init("value", .text)]
        case .renditions:
            [.init("contentHash", .text), .init("kind", .text), .init("bytes", .bytes)]
        }
    }

    public var keyCount: Int {
        switch self {
        case .vectors, .faces, .renditions: 2
        default: 1
        }
    }

    /// Rows per read and per write transaction: previews are hundreds of kilobytes each.
    public var batchSize: Int { self == .renditions ? 64 : 500 }

    /// Settings that name one catalogue, never copied: its own identity (a copy is another catalogue to a saved
    /// search snapshot), the catalogue it was copied from and whether that copy was finished.
    public static let ownSettings = ["catalogue", TransferKind.copiedFromSetting, TransferKind.finishedCopySetting]

    /// The source's identity again once the copy was verified: from then on the copy is a catalogue in use, and
    /// writing the source's rows into it by id could join them to photos it gained since.
    public static let finishedCopySetting = "copyFinished"

    /// The setting a copy keeps the source's identity in, so a second run knows it is carrying on the same copy.
    public static let copiedFromSetting = "copiedFrom"

    /// The rows of this kind a copy reads, as an SQL condition both stores understand (nil: every row).
    public var condition: String? {
        self == .settings ? "key NOT IN (" + Self.ownSettings.map { "'\($0)'" }.joined(separator: ", ") + ")" : nil
    }
}

/// Reading and writing a catalogue row by row, for `viewfinder migrate`: every kind in key order (text compared
/// byte by byte in both stores, so both read the same rows in the same order), and writes that leave rows
/// already there alone, so a copy interrupted anywhere carries on where it stopped.
public protocol CatalogueTransfer: Sendable {
    /// Up to `limit` rows of a kind whose keys follow `after` (nil: from the first), in key order.
    func transferRows(_ kind: TransferKind, after: [TransferValue]?, limit: Int) throws -> [TransferRow]
    /// Writes rows in one transaction, ignoring any whose key is already there; returns how many were new.
    @discardableResult
    func insertTransferRows(_ kind: TransferKind, _ rows: [TransferRow]) throws -> Int
    /// The key of the last row of a kind, or nil when there is none.
    func lastTransferKey(_ kind: TransferKind) throws -> [TransferValue]?
    func transferCount(_ kind: TransferKind) throws -> Int
    /// Called once every row is written: ids given out later follow the largest copied one.
    func finishTransfer() throws
}
