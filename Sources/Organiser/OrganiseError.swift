/// Why organising cannot go on, in words for the person at the terminal.
public struct OrganiseError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
