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
        // Taken out of the slot, which the finished thread may still hold: a result's arrays stay uniquely
        // referenced, so changing them in place never copies them.
        let firstResult = slot.result!
        slot.result = nil
        return (firstResult, secondResult)
    }
}

/// The other thread's work and result; the semaphore orders the writes before the reads.
private final class ResultSlot<Result>: @unchecked Sendable {
    var work: (() -> Result)?
    var result: Result?

    init(_ work: @escaping () -> Result) { self.work = work }
}

/// `work` for items 0..<count on this thread and one other, each taking the next `chunk` items as it finishes its
/// last (items that cost unevenly, shared out in two fixed halves, left one core idle at the end); results in item
/// order.
func sharedOut<Result>(_ count: Int, chunk: Int, _ work: (Int) -> Result) -> [Result] {
    // A lock, not an atomic: Synchronization's needs macOS 15, and it is taken once a chunk.
    let lock = NSLock()
    var next = 0
    let share = { () -> [(item: Int, result: Result)] in
        var done = [(item: Int, result: Result)]()
        while true {
            let start = lock.withLock {
                defer { next += chunk }
                return next
            }
            guard start < count else { return done }
            for item in start..<min(start + chunk, count) { done.append((item, work(item))) }
        }
    }
    let (first, second) = inParallel(share, share)
    // Each thread's items rise, so the two lists merge in order.
    var results = [Result]()
    results.reserveCapacity(count)
    var (a, b) = (0, 0)
    while a < first.count || b < second.count {
        if b == second.count || a < first.count && first[a].item < second[b].item {
            results.append(first[a].result)
            a += 1
        } else {
            results.append(second[b].result)
            b += 1
        }
    }
    return results
}
