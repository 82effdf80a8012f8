/// Signed-in sessions kept in the catalogue, so they survive a restart and hold on every server of a shared one.
public protocol SessionStore: Sendable {
    /// Stores a session (replacing one under the key unless `onlyIfNew`); false when `onlyIfNew` and the key is
    /// taken. Sessions expired by `now` are dropped on the way.
    func storeSession(key: String, value: [UInt8], expires: Double?, onlyIfNew: Bool, now: Double) throws -> Bool
    /// The session under `key`, unless it expired by `now`.
    func session(key: String, now: Double) throws -> (value: [UInt8], expires: Double?)?
    func removeSession(key: String) throws
}
