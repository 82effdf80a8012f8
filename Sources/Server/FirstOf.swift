import Foundation

/// Waiting for a task's value no longer than a bound, without cancelling it: the task (a model call) goes on
/// and its result is used later.
enum FirstOf {
    static func value<T: Sendable>(_ task: Task<T, Never>, within bound: Duration) async -> T? {
        let race = Race<T>()
        return await withCheckedContinuation { continuation in
            race.start(continuation)
            Task { race.finish(await task.value) }
            Task {
                try? await Task.sleep(for: bound)
                race.finish(nil)
            }
        }
    }

    /// Resumes its continuation once, with whichever answer comes first.
    private final class Race<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T?, Never>?

        func start(_ continuation: CheckedContinuation<T?, Never>) { lock.withLock { self.continuation = continuation } }

        func finish(_ value: T?) {
            lock.withLock { () -> CheckedContinuation<T?, Never>? in
                defer { continuation = nil }
                return continuation
            }?.resume(returning: value)
        }
    }
}
