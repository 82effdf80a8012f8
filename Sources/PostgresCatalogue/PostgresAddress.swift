import Foundation
import PostgresNIO

/// A `postgresql://user:password@host:port/database` URL, as `--store` and `VIEWFINDER_STORE` take it. A
/// `?host=/folder` parameter names a Unix socket folder instead of a TCP host.
public struct PostgresAddress: Sendable {
    let configuration: PostgresConnection.Configuration
    /// The URL without its password, for messages.
    public let display: String

    /// Whether a `--store` value means PostgreSQL.
    public static func isPostgres(_ value: String) -> Bool {
        value.hasPrefix("postgresql://") || value.hasPrefix("postgres://")
    }

    public init(_ url: String) throws {
        guard Self.isPostgres(url), let parts = URLComponents(string: url) else {
            throw PostgresAddressError(url: url, reason: "expected postgresql://user@host[:port]/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw PostgresAddressError(url: url, reason: "the URL names no database") }
        let user = parts.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let socketFolder = parts.queryItems?.first(where: { $0.name == "host" })?.value
        var shown = parts
        shown.password = nil
        display = shown.string ?? url
        if let socketFolder, socketFolder.hasPrefix("/") {
            let port = parts.port ?? 5432
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: parts.password,
                database: database)
        } else {
            guard let host = parts.host, !host.isEmpty else {
                throw PostgresAddressError(url: url, reason: "the URL names no host")
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: parts.port ?? 5432, username: user, password: parts.password, database: database,
                tls: .disable)
        }
    }
}

public struct PostgresAddressError: Error, CustomStringConvertible {
    public var url: String
    public var reason: String
    public var description: String { "'\(url)' is not a PostgreSQL URL: \(reason)" }
}
