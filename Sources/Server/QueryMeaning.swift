import Foundation
import Logging
import NIOPosix
import Search
import Vision

/// Query words turned into vectors by the model worker, remembered: as-you-type search asks for the same
/// words again and again. The worker is called on a thread of its own with no lock held, and a search waits
/// for it only briefly: a worker that is starting, slow or restarting leaves the search to words.
public final class QueryMeaning: @unchecked Sendable {
    /// Vectors by model, or why there are none (the search then goes on by words and says so).
    public enum Answer: Sendable, Equatable {
        case vectors([String: [Float]])
        case unavailable(String)
    }

    /// How long a search waits for its words' vectors: a running worker embeds a query in milliseconds, while
    /// one that is starting takes up to minutes and one backing off after a crash up to 30 s; typing must
    /// not feel either.
    public static let patience: Duration = .milliseconds(250)
    /// Lookups queued for the worker at most: when it is stuck, more would be stale keystrokes once it answers.
    static let queueLimit = 4
    /// A worker no query asked for this long is let go (130 MiB back); the next query starts it in about 0.4 s.
    public static let idleRelease: Duration = .seconds(120)
    let capacity = 512

    private let connect: @Sendable () -> VisionService?
    private let patience: Duration
    private let idleRelease: Duration
    /// Counts the worker's uses, so a release timer knows whether a later query came.
    private var uses = 0
    /// One thread: the worker answers one request at a time anyway, and its starts and back-offs block here only.
    private let workerThread = NIOThreadPool(numberOfThreads: 1)
    private let logger = Logger(label: "viewfinder.meaning")
    private let lock = NSLock()
    private var service: VisionService?
    private var connected = false
    private var answeredOnce = false
    private var lastFailure: String?
    private var queued = 0
    private var remembered = [String: [String: [Float]]]()
    private var order = [String]()

    /// - Parameter connect: makes the worker's client, on the first query with words (the worker itself
    ///   starts on its first request).
    public init(patience: Duration = QueryMeaning.patience, idleRelease: Duration = QueryMeaning.idleRelease,
                connect: @escaping @Sendable () -> VisionService?) {
        self.patience = patience
        self.idleRelease = idleRelease
        self.connect = connect
        workerThread.start()
    }

    /// The words of a query that carry meaning, or nil when it has none (filters alone, exclusions).
    public static func words(of query: Query) -> String? {
        let words = query.words.filter { !$0.excluded }.flatMap(\.alternatives)
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The words' vectors if the worker gives them within `patience`; a lookup that takes longer goes on and
    /// remembers its vectors for the next keystroke.
    public func vectors(for words: String) async -> Answer {
        let start: Answer? = lock.withLock {
            if let known = remembered[words] { return .vectors(known) }
            guard queued < Self.queueLimit else { return .unavailable(reasonWithoutAnswer) }
            queued += 1
            return nil
        }
        if let start { return start }
        let lookup = Task { await self.lookUp(words) }
        if let answer = await FirstOf.value(lookup, within: patience) { return answer }
        let reason = lock.withLock { reasonWithoutAnswer }
        logger.debug("searching by words alone", metadata: ["reason": "\(reason)"])
        return .unavailable(reason)
    }

    /// Why no vectors came in time; called under the lock.
    private var reasonWithoutAnswer: String {
        lastFailure ?? (answeredOnce ? "the model worker is slow or restarting" : "the model worker is starting")
    }

    private func lookUp(_ words: String) async -> Answer {
        defer { lock.withLock { queued -= 1 } }
        do {
            return try await workerThread.runIfActive { self.embed(words) }
        } catch {
            return .unavailable("the model worker has been shut down")
        }
    }

    /// On the worker's thread: blocks for as long as the worker takes, holding no lock meanwhile.
    private func embed(_ words: String) -> Answer {
        if let known = lock.withLock({ remembered[words] }) { return .vectors(known) }
        if !lock.withLock({ connected }) {
            let made = connect()
            lock.withLock { service = made; connected = true }
        }
        guard let service = lock.withLock({ service }) else { return failed("the model worker is not installed") }
        defer { releaseWhenIdle(service) }
        do {
            let vectors = try service.embed([words]).compactMapValues(\.first)
            lock.withLock {
                answeredOnce = true
                lastFailure = nil
                remembered[words] = vectors
                order.append(words)
                if order.count > capacity { remembered[order.removeFirst()] = nil }
            }
            return .vectors(vectors)
        } catch {
            return failed("the model worker failed: \(error.reason)")
        }
    }

    /// Lets the worker go once no query has used it for `idleRelease`.
    private func releaseWhenIdle(_ service: VisionService) {
        let use = lock.withLock { uses += 1; return uses }
        let delay = Double(idleRelease.components.seconds) + Double(idleRelease.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [self] in
            if lock.withLock({ uses == use }) { service.release() }
        }
    }

    private func failed(_ reason: String) -> Answer {
        logger.warning("query meaning unavailable", metadata: ["reason": "\(reason)"])
        lock.withLock { lastFailure = reason }
        return .unavailable(reason)
    }

    public func shutdown() {
        lock.withLock { service }?.shutdown()
        workerThread.shutdownGracefully { _ in }
    }
}
