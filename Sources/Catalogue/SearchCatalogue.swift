/// Where a catalogue's change log stands: which catalogue, and the number of its latest change.
public struct ChangeMark: Sendable, Equatable, Codable {
    public var catalogue: String
    public var seq: Int64

    public init(catalogue: String, seq: Int64) {
        self.catalogue = catalogue
        self.seq = seq
    }
}

/// A photo as search reads it: the record, its description and vectors.
public struct SearchablePhoto: Sendable {
    public var photo: PhotoRecord
    public var description: DescriptionRecord?
    public var vectors: [VectorRecord]

    public init(photo: PhotoRecord, description: DescriptionRecord?, vectors: [VectorRecord]) {
        self.photo = photo
        self.description = description
        self.vectors = vectors
    }
}

/// What search reads from the catalogue: all of it once, then only what changed after the last change it applied.
public protocol SearchCatalogue: Sendable {
    /// Every photo present, with its description when it has one: what search indexes.
    func searchablePhotos() throws -> [(photo: PhotoRecord, description: DescriptionRecord?)]
    /// Every photo vector, for semantic search.
    func vectors() throws -> [VectorRecord]
    func changeMark() throws -> ChangeMark
    /// The photos changed after change `seq`, each once, from at most `limit` changes, and the last change read;
    /// nil when changes after `seq` were forgotten (the reader must read everything again).
    func changes(after seq: Int64, limit: Int) throws -> (photoIDs: [Int64], through: Int64)?
    /// Those of the photos that are present, as search reads them; an id left out is gone from search.
    func searchablePhotos(ids: [Int64]) throws -> [SearchablePhoto]
    /// Drops the log up to and including `seq`: a saved engine reflects them.
    func forgetChanges(through seq: Int64) throws
}

/// A catalogue that can tell a follower at once that a change was committed (PostgreSQL's LISTEN/NOTIFY), instead
/// of the follower asking every few seconds.
public protocol ChangeSignal: Sendable {
    /// Returns when a change may have been committed since the last return, or after `seconds` at most.
    func waitForChange(upTo seconds: Double)
}
