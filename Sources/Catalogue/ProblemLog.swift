/// Files that could not be indexed, or were indexed with a warning.
public protocol ProblemLog: Sendable {
    func problems(at path: String) throws -> [ProblemRecord]
    func problems() throws -> [ProblemRecord]
    /// The newest problems first, for a status page that asks every few seconds.
    func recentProblems(limit: Int) throws -> [ProblemRecord]
}
