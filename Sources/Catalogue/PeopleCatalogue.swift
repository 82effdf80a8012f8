import Foundation

/// Where a face is: its photo and its place in that photo's list of faces (the order the worker gave them).
public struct FaceKey: Hashable, Sendable, Codable, Comparable {
    public var photoID: Int64
    public var index: Int

    public init(photoID: Int64, index: Int) {
        self.photoID = photoID
        self.index = index
    }

    public static func < (a: FaceKey, b: FaceKey) -> Bool { (a.photoID, a.index) < (b.photoID, b.index) }
}

/// One face of a described photo: its box in fractions of the upright photo, what the face model made of it,
/// and whose it is.
public struct FaceRecord: Sendable, Equatable {
    public var key: FaceKey
    public var x, y, w, h: Double
    /// dlib's 128 numbers; faces of one person lie close in Euclidean distance. Nil when the worker gave none.
    public var descriptor: [Float]?
    /// 0–1: small, blurred and turned-away faces score low and are kept as faces but form no people.
    public var quality: Double?
    public var personID: Int64?
    /// Someone put this face where it is (a person, or nobody): clustering leaves it there.
    public var movedByHand: Bool

    public init(key: FaceKey, x: Double, y: Double, w: Double, h: Double, descriptor: [Float]?, quality: Double?,
                personID: Int64? = nil, movedByHand: Bool = false) {
        self.key = key
        self.x = x
        self.y = y
        self.w = w
        self.h = h
        self.descriptor = descriptor
        self.quality = quality
        self.personID = personID
        self.movedByHand = movedByHand
    }

    /// The descriptor as stores keep it: little-endian float32.
    public var descriptorBytes: Data? { descriptor.map { values in values.withUnsafeBufferPointer { Data(buffer: $0) } } }

    public static func descriptor(from bytes: Data?) -> [Float]? {
        bytes.map { data in
            data.withUnsafeBytes { raw in (0..<data.count / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        }
    }

    /// How much two boxes overlap (intersection over union), to know a face again after its photo is described anew.
    func overlap(_ other: FaceRecord) -> Double {
        let width = max(0, min(x + w, other.x + other.w) - max(x, other.x))
        let height = max(0, min(y + h, other.y + other.h) - max(y, other.y))
        let shared = width * height
        let union = w * h + other.w * other.h - shared
        return union > 0 ? shared / union : 0
    }

    /// New faces of a photo described again, each keeping the person (and the hand that put it there) of the old
    /// face it covers at least half of, so a model upgrade does not forget who is who. Returns them with whether
    /// clustering still has to look at each, and the old face each took over (whose standing as one of its
    /// person's representatives it keeps, or the person would drop out of clustering).
    public static func carrying(_ old: [FaceRecord], into new: [FaceRecord]) -> [(face: FaceRecord, clustered: Bool, from: FaceKey?)] {
        var taken = Set<FaceKey>()
        return new.map { face in
            let match = old.filter { !taken.contains($0.key) && ($0.personID != nil || $0.movedByHand) && $0.overlap(face) >= 0.5 }
                .max { $0.overlap(face) < $1.overlap(face) }
            guard let match else { return (face, false, nil) }
            taken.insert(match.key)
            var carried = face
            carried.personID = match.personID
            carried.movedByHand = match.movedByHand
            return (carried, true, match.key)
        }
    }
}

/// Someone whose faces were grouped: named or not yet, hidden from the people list when nobody cares.
public struct PersonRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String?
    public var hidden: Bool
    public var createdAt: Double

    public init(id: Int64, name: String?, hidden: Bool, createdAt: Double) {
        self.id = id
        self.name = name
        self.hidden = hidden
        self.createdAt = createdAt
    }
}

/// A person as lists show them: how many faces, and the present photos they are in (paths in byte order).
public struct PersonSummary: Sendable, Equatable {
    public var person: PersonRecord
    public var faces: Int
    public var photoIDs: [Int64]
    public var paths: [String]

    public init(person: PersonRecord, faces: Int, photoIDs: [Int64], paths: [String]) {
        self.person = person
        self.faces = faces
        self.photoIDs = photoIDs
        self.paths = paths
    }
}

/// What one clustering pass decided, for the store to apply in one transaction. Faces are only ever given to
/// someone here when they still belong to nobody and nobody moved them by hand meanwhile.
public struct ClusteringOutcome: Sendable, Equatable {
    /// Faces that join a person who exists.
    public var joins: [FaceKey: Int64]
    /// Groups of faces that each become a new, unnamed person.
    public var newPeople: [[FaceKey]]
    /// Faces kept to stand for their person in later passes (a few per person, not all of them).
    public var representatives: [FaceKey]
    /// Every face this pass looked at: none of them is new any more.
    public var seen: [FaceKey]

    public init(joins: [FaceKey: Int64] = [:], newPeople: [[FaceKey]] = [], representatives: [FaceKey] = [], seen: [FaceKey] = []) {
        self.joins = joins
        self.newPeople = newPeople
        self.representatives = representatives
        self.seen = seen
    }
}

/// A person id, face or photo the catalogue does not hold, in words for the CLI.
public enum PeopleError: Error, Equatable, CustomStringConvertible {
    case unknownPerson(Int64)
    case unknownFace(FaceKey)
    case unusableName(String)

    public var description: String {
        switch self {
        case let .unknownPerson(id): "there is no person \(id); `viewfinder people --all` lists them"
        case let .unknownFace(key): "photo \(key.photoID) has no face \(key.index) (faces are counted from 0)"
        case let .unusableName(reason): reason
        }
    }
}

extension PersonRecord {
    public static let longestName = 200

    /// A name as typed, made ready to keep: trimmed, nil when empty (unnamed). Refused when too long, or without a
    /// letter or digit: search folds names to their words, so such a name could never be found.
    public static func name(from typed: String?) throws(PeopleError) -> String? {
        guard let name = typed?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        guard name.count <= longestName else { throw .unusableName("a name is at most \(longestName) characters") }
        guard name.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) else {
            throw .unusableName("'\(name)' has no letter or digit, so a search could never find it")
        }
        return name
    }
}

/// People: who each face is, and what people name, merge, hide and move. Every change to whose a face is, or to
/// a person's name, is logged as a search change of the photos concerned, so live search servers follow.
public protocol PeopleCatalogue: Sendable {
    /// People with at least one face in a present photo, named ones first (by name), then the most seen first.
    func people(includingHidden: Bool) throws -> [PersonSummary]
    func person(id: Int64) throws -> PersonRecord?
    /// A photo's faces, in the worker's order.
    func faces(photoID: Int64) throws -> [FaceRecord]
    /// A person's faces, best quality first (for a face to show per person).
    func faces(personID: Int64) throws -> [FaceRecord]
    /// The people each of these photos shows (hidden ones included, flagged): what search indexes by name.
    func people(inPhotos ids: [Int64]) throws -> [Int64: [PersonRecord]]
    /// Names (or unnames, with nil) a person.
    func name(person id: Int64, _ name: String?) throws
    /// Moves every face of `source` to `target` and forgets `source`; the target keeps its name, or takes the
    /// source's when it had none.
    func merge(person source: Int64, into target: Int64) throws
    func setHidden(person id: Int64, _ hidden: Bool) throws
    /// Puts a face with a person, or with nobody (nil), for good: clustering never moves it again.
    func move(face: FaceKey, to person: Int64?) throws

    /// Up to `limit` faces clustering has not looked at yet, oldest photos first.
    func facesToCluster(limit: Int) throws -> [FaceRecord]
    /// The faces that stand for their people.
    func representativeFaces() throws -> [FaceRecord]
    /// Faces already looked at that belong to nobody, are good enough to form a person and were not put there by hand.
    func looseFaces(minQuality: Double) throws -> [FaceRecord]
    /// A number that moves with every change, by anyone, to whose a face is, which faces stand for people or wait
    /// loose, and which people exist: clustering keeps what it knows while the mark stays where its own change left it.
    func peopleMark() throws -> Int64
    /// Applies a clustering pass: returns the ids of the people it formed, in `newPeople`'s order, the mark after it
    /// and whether the mark was `mark` before it (nobody else changed people since), in one transaction. People left
    /// with no face and no name are forgotten.
    func apply(_ outcome: ClusteringOutcome, over mark: Int64) throws -> (formed: [Int64], mark: Int64, current: Bool)
}

extension PeopleCatalogue {
    /// Applies a clustering outcome whatever the mark; the ids of the people it formed, in `newPeople`'s order.
    @discardableResult
    public func apply(_ outcome: ClusteringOutcome) throws -> [Int64] { try apply(outcome, over: -1).formed }
}

/// The order people are listed in by every store: named people first, by name, then the most seen.
public enum PeopleOrder {
    public static func sorted(_ people: [PersonSummary]) -> [PersonSummary] {
        people.sorted { a, b in
            switch (a.person.name, b.person.name) {
            case let (x?, y?) where x != y: x.localizedStandardCompare(y) == .orderedAscending
            case (.some, nil): true
            case (nil, .some): false
            default: (a.faces, b.person.id) > (b.faces, a.person.id)
            }
        }
    }
}
