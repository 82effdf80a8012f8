import Foundation

/// Runs `first` on a thread of its own while the caller runs `second`, and returns both results: a build's two
/// halves on both cores. A thread, not dispatch: a concurrentPerform nested in another may run one after the other.
func inParallel<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
    withoutActuallyEscaping(first) { first in
        let slot = ResultSlot(first)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            slot.result = slot.work?()
            // Let go of the borrowed closure before the caller leaves withoutActuallyEscaping.
            slot.work = nil
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let secondResult = second()
        done.wait()
        return (slot.result!, secondResult)
    }
}

/// The other thread's work and result; the semaphore orders the writes before the reads.
private final class ResultSlot<Result>: @unchecked Sendable {
    var work: (() -> Result)?
    var result: Result?

    init(_ work: @escaping () -> Result) { self.work = work }
}
