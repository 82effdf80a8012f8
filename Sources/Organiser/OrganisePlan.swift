/// Copy (the default: the sources stay) or move.
public enum TransferMode: String, Codable, Sendable, CaseIterable {
    case copy, move
}

/// What applying does with one file.
public enum PlannedAction: String, Codable, Sendable {
    case copy, move
    /// The destination already holds these very bytes: nothing is done.
    case skipDuplicate = "skip-duplicate"
    /// Another file holds the name: copied or moved (by the plan's mode) under name-1.ext, name-2.ext, ….
    case suffix
}

/// A file that travels with its photo: an XMP sidecar or the MOV of a Live Photo.
public struct PlannedCompanion: Codable, Sendable, Equatable {
    public var source: String
    public var destination: String
    public var action: PlannedAction
}

/// One photo's move into the layout.
public struct PlannedItem: Encodable, Sendable, Equatable {
    public var source: String
    public var destination: String
    /// ISO 8601, with the offset when known; after any camera shift.
    public var date: String
    public var dateSource: DateSource
    /// The camera shift applied to the date ("+1h"), if one matched.
    public var shift: String?
    public var action: PlannedAction
    public var companions: [PlannedCompanion]
    /// What `--fix-dates` and `--upright` do to the organised copy: "date written", "turned 90°".
    public var changes: [String]
    /// What was asked but is not done, each with its reason ("not turned: …").
    public var notChanged: [String]
    let edit: PhotoEdit

    init(source: String, destination: String, date: String, dateSource: DateSource, shift: String?, action: PlannedAction,
         companions: [PlannedCompanion], edit: PhotoEdit, notChanged: [String]) {
        (self.source, self.destination, self.date, self.dateSource, self.shift) = (source, destination, date, dateSource, shift)
        (self.action, self.companions, self.edit, self.notChanged, changes) = (action, companions, edit, notChanged, edit.changes)
    }

    enum CodingKeys: String, CodingKey {
        case source, destination, date, dateSource, shift, action, companions, changes, notChanged
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(destination, forKey: .destination)
        try container.encode(date, forKey: .date)
        try container.encode(dateSource, forKey: .dateSource)
        try container.encodeIfPresent(shift, forKey: .shift)
        try container.encode(action, forKey: .action)
        try container.encode(companions, forKey: .companions)
        try container.encode(changes, forKey: .changes)
        try container.encode(notChanged, forKey: .notChanged)
    }
}

/// Everything organising would do, in the order it would do it. Nothing is touched to make one.
public struct OrganisePlan: Encodable, Sendable {
    public var into: String
    public var mode: TransferMode
    public var pattern: String
    public var items: [PlannedItem]
    /// Folders that could not be read, and so were not organised.
    public var problems: [String]

    /// Every file the apply will transfer, photos and companions, in order.
    var transfers: [(source: String, destination: String)] {
        items.flatMap { item in
            ([(item.source, item.destination, item.action)] + item.companions.map { ($0.source, $0.destination, $0.action) })
                .filter { $0.2 != .skipDuplicate }.map { ($0.0, $0.1) }
        }
    }
}
