/// The step of indexing where something about a file went wrong.
public enum IndexStage: String, Codable, Sendable, CaseIterable {
    case read, detect, metadata, decode, thumbnail, preview, vision, writeBack = "write-back"
}

/// Whether the photo was kept despite the problem.
public enum ProblemSeverity: String, Codable, Sendable {
    /// The file could not be indexed at all.
    case error
    /// The photo is indexed, but part of it (metadata, some pixels) could not be read.
    case warning
}

/// Why one file could not be indexed, or was indexed only in part, in a sentence a person can act on.
public struct IndexProblem: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var stage: IndexStage
    public var severity: ProblemSeverity
    public var reason: String

    public init(_ stage: IndexStage, _ severity: ProblemSeverity = .error, _ reason: String) {
        self.stage = stage
        self.severity = severity
        self.reason = reason
    }

    /// A problem that stopped the file from being indexed.
    public init(_ stage: IndexStage, _ reason: String) { self.init(stage, .error, reason) }

    public var description: String { "\(stage.rawValue): \(reason)" }
}
