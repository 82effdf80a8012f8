import Foundation
import HummingbirdBcrypt

/// Who may use the server. On loopback nobody needs a password; on any other address one is required,
/// set as a bcrypt hash in the data folder's server.json (`viewfinder password`) or through the environment.
public struct AccessPolicy: Sendable {
    /// bcrypt hash of the password, or nil when none is set.
    public let passwordHash: String?
    /// Echoed by every state-changing request that has no session yet (sign-in): other sites cannot read it.
    public let pageToken: String

    public init(passwordHash: String?) {
        self.passwordHash = passwordHash
        pageToken = AccessPolicy.randomToken()
    }

    public var requiresSignIn: Bool { passwordHash != nil }

    public func verify(_ password: String) -> Bool {
        guard let passwordHash else { return false }
        return Bcrypt.verify(password, hash: passwordHash)
    }

    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }

    /// The configured password: $VIEWFINDER_PASSWORD_HASH, else $VIEWFINDER_PASSWORD (hashed here, never
    /// written anywhere), else server.json in the data folder.
    public static func load(dataFolder: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AccessPolicy {
        if let hash = environment["VIEWFINDER_PASSWORD_HASH"], !hash.isEmpty { return AccessPolicy(passwordHash: hash) }
        if let password = environment["VIEWFINDER_PASSWORD"], !password.isEmpty { return AccessPolicy(passwordHash: hash(password)) }
        let file = configFile(dataFolder)
        guard let data = FileManager.default.contents(atPath: file) else { return AccessPolicy(passwordHash: nil) }
        do {
            return AccessPolicy(passwordHash: try JSONDecoder().decode(ServerConfig.self, from: data).passwordHash)
        } catch {
            throw ConfigError(message: "\(file) is not valid server settings: \(error)")
        }
    }

    /// Stores a password's hash in server.json (readable by its owner only).
    public static func store(password: String, dataFolder: String) throws {
        let data = try JSONEncoder().encode(ServerConfig(passwordHash: hash(password)))
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        let file = configFile(dataFolder)
        guard FileManager.default.createFile(atPath: file + ".new", contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigError(message: "cannot write \(file)")
        }
        guard rename(file + ".new", file) == 0 else { throw ConfigError(message: "cannot write \(file): \(String(cString: strerror(errno)))") }
    }

    static func configFile(_ dataFolder: String) -> String { dataFolder + "/server.json" }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Loopback addresses, where the server may run without a password.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

struct ServerConfig: Codable {
    var passwordHash: String?
}

public struct ConfigError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
