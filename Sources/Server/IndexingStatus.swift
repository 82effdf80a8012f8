import Foundation
import Indexer

/// What background indexing is doing, for the status page; as a progress sink it also asks for the library
/// to be refreshed, so photos appear in search while a long run goes on.
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
        /// Why the last run failed, until one succeeds; runs are retried with back-off.
        public var lastError: String?
        /// Failed runs in a row.
        public var failedRuns = 0
        /// When the next try starts, while waiting after a failure.
        public var retryingAt: Date?
    }

    private let lock = NSLock()
    private var state = State()
    /// Called on every report past scanning; cheap, it decides itself whether a refresh is due.
    var refresh: (@Sendable () -> Void)?

    public init() {}

    public var current: State { lock.withLock { state } }

    public func update(_ change: (inout State) -> Void) { lock.withLock { change(&state) } }

    public func report(_ progress: ProgressReport) {
        lock.withLock {
            state.running = true
            state.phase = progress.phase.rawValue
            state.done = progress.done
            state.total = progress.total
            state.failed = progress.failed
            state.photosPerSecond = progress.rate
            state.remainingSeconds = progress.remainingSeconds
        }
        if progress.phase != .scanning { refresh?() }
    }

    public func finish(_ progress: ProgressReport) { report(progress) }
}
