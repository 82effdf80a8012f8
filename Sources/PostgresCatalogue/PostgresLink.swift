import Catalogue
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A few connections to one PostgreSQL database, used from ordinary threads: the store's protocols are
/// synchronous (indexing threads and NIO's blocking pool call them), so each call waits on its future, never
/// on an event loop.
final class PostgresLink: @unchecked Sendable {
    let address: PostgresAddress
    private let logger = Logger(label: "viewfinder.postgres")
    private let lock = NSLock()
    private let available = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private let most: Int

    init(_ address: PostgresAddress, connections: Int = 4) {
        self.address = address
        self.most = connections
    }

    deinit {
        // Not waited for (this may run anywhere); the closure holds each connection until it is closed.
        for connection in idle { connection.close().whenComplete { _ in _ = connection } }
    }

    /// Runs `body` on a connection of its own; a connection that failed is closed, not handed back.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try take()
        do {
            let result = try body(connection)
            give(connection)
            return result
        } catch {
            if connection.isClosed { dropped() } else { give(connection) }
            throw error
        }
    }

    /// Runs `body` in one transaction: all of it is stored, or none. A deadlock, a serialisation failure or a
    /// lost connection runs it again (a few times, on a fresh connection): every write here is safe to repeat,
    /// since a commit deletes its jobs only while this process still holds them.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try with { connection in
                    try run("BEGIN", on: connection)
                    do {
                        let result = try body(connection)
                        try run("COMMIT", on: connection)
                        return result
                    } catch {
                        _ = try? run("ROLLBACK", on: connection)
                        throw error
                    }
                }
            } catch where attempt < 3 && Self.isPassing(error) {
                attempt += 1
                logger.warning("retrying a catalogue write", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: 0.1 * Double(attempt))
            }
        }
    }

    /// Failures that trying again can mend: a deadlock or serialisation failure, a server that restarted or a
    /// connection that was lost.
    static func isPassing(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] {
            return state == "40P01" || state == "40001" || state.hasPrefix("08") || state == "57P01"
        }
        return error.code == .serverClosedConnection || error.code == .connectionError || error.code == .uncleanShutdown
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try with { try run(query, on: $0).rows }
    }

    @discardableResult
    func run(_ query: PostgresQuery, on connection: PostgresConnection) throws -> (rows: [PostgresRow], changed: Int) {
        let result = try connection.query(query, logger: logger).wait()
        return (Array(result), result.metadata.rows ?? 0)
    }

    /// Decodes rows as they arrive instead of holding them all: a whole catalogue is a million rows.
    func decoded<T>(_ query: PostgresQuery, on connection: PostgresConnection, _ decode: @escaping @Sendable (PostgresRow) throws -> T)
        throws -> [T] {
        let collected = Collected<T>()
        _ = try connection.query(query, logger: logger) { row in collected.values.append(try decode(row)) }.wait()
        return collected.values
    }

    private func take() throws -> PostgresConnection {
        available.lock()
        while true {
            if let connection = idle.popLast() {
                available.unlock()
                if connection.isClosed { dropped(); return try take() }
                return connection
            }
            if open < most { break }
            available.wait()
        }
        open += 1
        available.unlock()
        do {
            return try address.connect(logger: logger)
        } catch {
            dropped()
            throw StoreFailure(kind: .other, file: address.display, detail: "cannot connect: \(String(reflecting: error))")
        }
    }

    private func give(_ connection: PostgresConnection) {
        available.lock()
        idle.append(connection)
        available.signal()
        available.unlock()
    }

    private func dropped() {
        available.lock()
        open -= 1
        available.signal()
        available.unlock()
    }
}

/// Rows decoded on the connection's event loop, one at a time, read once the query is complete.
private final class Collected<T>: @unchecked Sendable {
    var values: [T] = []
}
