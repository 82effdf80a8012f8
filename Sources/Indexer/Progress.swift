import Foundation

/// One moment of a long run, for a progress bar or a log line.
public struct ProgressReport: Sendable {
    public enum Phase: String, Sendable {
        case scanning, indexing, previews, describing
        /// Rows copied from one catalogue to another (`viewfinder migrate`).
        case copying
        /// Photos copied or moved into a layout (`viewfinder organise --apply`).
        case organising
    }

    public var phase: Phase
    public var done: Int
    public var total: Int
    public var failed: Int
    public var elapsed: Double

    public init(phase: Phase, done: Int, total: Int, failed: Int, elapsed: Double) {
        self.phase = phase
        self.done = done
        self.total = total
        self.failed = failed
        self.elapsed = elapsed
    }

    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    public var remainingSeconds: Double? { rate > 0 && total >= done ? Double(total - done) / rate : nil }
}

public protocol ProgressSink: Sendable {
    func report(_ progress: ProgressReport)
    func finish(_ progress: ProgressReport)
}

/// Reports nothing: for tests and library use.
public struct SilentProgress: ProgressSink {
    public init() {}
    public func report(_ progress: ProgressReport) {}
    public func finish(_ progress: ProgressReport) {}
}
