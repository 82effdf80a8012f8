import Catalogue
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// LISTENs on the change log's channel on a connection of its own. A lost connection counts as a change (the
/// follower reads what it missed), and the next wait connects again.
final class ChangeListener: @unchecked Sendable {
    private let address: PostgresAddress
    private let condition = NSCondition()
    private var changed = false
    private var connection: PostgresConnection?
    private let logger = Logger(label: "viewfinder.postgres.listen")

    init(_ address: PostgresAddress) { self.address = address }

    func wait(upTo seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        listenIfNeeded()
        condition.lock()
        while !changed, condition.wait(until: deadline) {}
        changed = false
        condition.unlock()
    }

    private func signal() {
        condition.lock()
        changed = true
        condition.broadcast()
        condition.unlock()
    }

    private func listenIfNeeded() {
        condition.lock()
        let listening = connection.map { !$0.isClosed } ?? false
        condition.unlock()
        guard !listening else { return }
        do {
            let fresh = try address.connect(logger: logger)
            fresh.addListener(channel: PostgresMigrations.changeChannel) { [weak self] _, _ in self?.signal() }
            _ = try fresh.query("LISTEN \(unescaped: PostgresMigrations.changeChannel)", logger: logger).wait()
            fresh.closeFuture.whenComplete { [weak self] _ in self?.signal() }
            condition.lock()
            connection = fresh
            condition.unlock()
            signal()  // changes made while no one listened are read now
        } catch {
            logger.warning("cannot listen for catalogue changes; asking every few seconds", metadata: ["error": "\(error)"])
        }
    }

    deinit { if let connection { connection.close().whenComplete { _ in _ = connection } } }
}

extension PostgresStore: ChangeSignal {
    public func waitForChange(upTo seconds: Double) { listener.wait(upTo: seconds) }
}
