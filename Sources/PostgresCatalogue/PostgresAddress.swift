import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A `postgresql://user:password@host:port/database` URL, as `--store` and `VIEWFINDER_STORE` take it. A
/// `?host=/folder` parameter names a Unix socket folder instead of a TCP host; `?sslmode=` is libpq's:
/// `disable` (the default), `prefer` or `require` (encrypted, certificate unchecked), `verify-full` (encrypted,
/// certificate and host name checked against the system's trusted authorities).
public struct PostgresAddress: Sendable {
    private let configuration: PostgresConnection.Configuration
    /// The TCP host and port; nil for a Unix socket.
    private let server: (host: String, port: Int)?
    /// The URL without its password, for messages.
    public let display: String

    /// Whether a `--store` value means PostgreSQL.
    public static func isPostgres(_ value: String) -> Bool {
        value.hasPrefix("postgresql://") || value.hasPrefix("postgres://")
    }

    public init(_ url: String) throws {
        func refuse(_ reason: String) -> PostgresAddressError {
            PostgresAddressError(url: Self.withoutPassword(url), reason: reason)
        }
        guard Self.isPostgres(url), let parts = URLComponents(string: url) else {
            throw refuse("expected postgresql://user@host[:port]/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw refuse("the URL names no database") }
        let user = parts.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let parameters = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        display = Self.withoutPassword(url, hidden: nil)
        if let socketFolder = parameters["host"], socketFolder.hasPrefix("/") {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(parts.port ?? 5432)", username: user, password: parts.password,
                database: database)
            server = nil
            return
        }
        guard let host = parts.host, !host.isEmpty else { throw refuse("the URL names no host") }
        configuration = PostgresConnection.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password, database: database,
            tls: try Self.tls(parameters["sslmode"] ?? "disable", refuse))
        server = (host, parts.port ?? 5432)
    }

    /// A new connection. Over TCP the socket probes an idle server (after 30 s, 4 probes 5 s apart) and gives up
    /// on unacknowledged writes after 60 s, so a server or network that vanishes fails the waiting call within
    /// about a minute, to be retried or reported, instead of leaving it waiting for ever.
    func connect(logger: Logger) throws -> PostgresConnection {
        let group = MultiThreadedEventLoopGroup.singleton
        guard let server else {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration,
                                                  id: Int.random(in: 0..<Int.max), logger: logger).wait()
        }
        let tcp = SocketOptionLevel(IPPROTO_TCP)
        let channel = try ClientBootstrap(group: group)
            .connectTimeout(configuration.options.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPIDLE)), value: 30)
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPINTVL)), value: 5)
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPCNT)), value: 4)
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_USER_TIMEOUT)), value: 60_000)
            .connect(host: server.host, port: server.port).wait()
        var established = PostgresConnection.Configuration(
            establishedChannel: channel, tls: configuration.tls, username: configuration.username,
            password: configuration.password, database: configuration.database)
        // As postgres-nio names the server for TLS itself: by its host name, never by an IP address.
        if (try? SocketAddress(ipAddress: server.host, port: 0)) == nil { established.options.tlsServerName = server.host }
        do {
            return try PostgresConnection.connect(on: channel.eventLoop, configuration: established,
                                                  id: Int.random(in: 0..<Int.max), logger: logger).wait()
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    private static func tls(_ mode: String, _ refuse: (String) -> PostgresAddressError) throws -> PostgresConnection.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch mode {
        case "disable": return .disable
        case "prefer": return .prefer(try NIOSSLContext(configuration: unchecked))
        case "require": return .require(try NIOSSLContext(configuration: unchecked))
        case "verify-full": return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: throw refuse("sslmode '\(mode)' is not one of disable, prefer, require, verify-full")
        }
    }

    /// A URL for messages: the password left out (or, with `hidden`, shown as that).
    static func withoutPassword(_ url: String, hidden: String? = "***") -> String {
        guard var parts = URLComponents(string: url) else { return url.contains("@") ? "(a URL that does not parse)" : url }
        guard parts.password != nil else { return url }
        parts.password = hidden
        return parts.string ?? "(a URL that does not parse)"
    }
}

public struct PostgresAddressError: Error, CustomStringConvertible {
    public var url: String
    public var reason: String
    public var description: String { "'\(url)' is not a PostgreSQL URL: \(reason)" }
}
