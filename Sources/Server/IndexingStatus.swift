import Foundation
import Indexer

/// What background indexing is doing, for the status page; as a progress sink it also refreshes the
/// library every few seconds, so photos appear in search while a long run goes on.
public final class IndexingStatus: ProgressSink, @unchecked Sendable {
    public struct State: Codable, Sendable {
        public var running = false
        public var phase: String?
        public var done = 0
        public var total = 0
        public var failed = 0
        public var photosPerSecond = 0.0
        public var remainingSeconds: Double?
        public var lastRunFinishedAt: Date?
        public var watching: [String] = []
        /// Why the AI models did not run, when they could not.
        public var visionUnavailable: String?
    }

    private let lock = NSLock()
    private var state = State()
    private var lastRefresh = Date()
    /// Called (off the indexing thread's critical path) when enough has changed to show.
    var refresh: (@Sendable () -> Void)?
    let refreshSeconds = 5.0

    public init() {}

    public var current: State { lock.withLock { state } }

    public func update(_ change: (inout State) -> Void) { lock.withLock { change(&state) } }

    public func report(_ progress: ProgressReport) {
        let due = lock.withLock {
            state.running = true
            state.phase = progress.phase.rawValue
            state.done = progress.done
            state.total = progress.total
            state.failed = progress.failed
            state.photosPerSecond = progress.rate
            state.remainingSeconds = progress.remainingSeconds
            guard Date().timeIntervalSince(lastRefresh) >= refreshSeconds, progress.phase != .scanning else { return false }
            lastRefresh = Date()
            return true
        }
        if due, let refresh { DispatchQueue.global().async(execute: refresh) }
    }

    public func finish(_ progress: ProgressReport) { report(progress) }
}
