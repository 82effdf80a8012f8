/// Counts for `viewfinder status`.
public struct StoreStatus: Codable, Sendable, Equatable {
    public var photos: Int
    public var duplicates: Int
    public var missing: Int
    /// Photos hidden because their folder vanished whole, kept for a grace period: how many, and why.
    public var offline: Int
    public var offlineReasons: [String: Int]
    public var described: Int
    public var pendingJobs: [String: Int]
    public var errors: [String: Int]
    public var warnings: [String: Int]

    public init(photos: Int, duplicates: Int, missing: Int, offline: Int, offlineReasons: [String: Int], described: Int,
                pendingJobs: [String: Int], errors: [String: Int], warnings: [String: Int]) {
        self.photos = photos
        self.duplicates = duplicates
        self.missing = missing
        self.offline = offline
        self.offlineReasons = offlineReasons
        self.described = described
        self.pendingJobs = pendingJobs
        self.errors = errors
        self.warnings = warnings
    }
}

/// Facts about the catalogue as a whole: settings other parts keep there, and the counts `status` shows.
public protocol CatalogueFacts: Sendable {
    /// A fact about the catalogue as a whole, or nil.
    func setting(_ key: String) throws -> String?
    /// Sets (or, with nil, forgets) a fact about the catalogue as a whole.
    func setSetting(_ key: String, _ value: String?) throws
    func status() throws -> StoreStatus
}
