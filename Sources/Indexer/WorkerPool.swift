import CCrashGuard
import Foundation
import Catalogue

/// A fixed set of threads running jobs, with a deadline per job. libvips and exiv2 calls block and
/// cannot be cancelled, so a job past its deadline is answered for and its thread abandoned and replaced.
final class WorkerPool: @unchecked Sendable {
    typealias Work = @Sendable (JobRecord) -> CatalogueChange
    typealias Overdue = @Sendable (JobRecord, Double) -> CatalogueChange
    /// Seconds a job may take beyond the deadline (reading a large file from a slow share).
    typealias Allowance = @Sendable (JobRecord) -> Double

    private let condition = NSCondition()
    private var queued = [(job: JobRecord, limit: Double)]()
    private var finished = [FinishedJob]()
    private var running = [Int: (job: JobRecord, started: Double, limit: Double)]()
    private var abandoned = Set<Int>()
    private var stopping = false
    private var nextWorker = 0
    private let work: Work
    private let overdue: Overdue
    private let deadline: Double
    private let allowance: Allowance

    init(threads: Int, deadline: Double, allowance: @escaping Allowance = { _ in 0 }, work: @escaping Work,
         overdue: @escaping Overdue) {
        self.work = work
        self.overdue = overdue
        self.deadline = deadline
        self.allowance = allowance
        for _ in 0..<threads { startWorker() }
    }

    /// Jobs handed out but not yet collected.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return queued.count + running.count + finished.count
    }

    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queued.count
    }

    func submit(_ jobs: [JobRecord]) {
        let limits = jobs.map { deadline + allowance($0) }  // a stat each: outside the lock
        condition.lock()
        queued.append(contentsOf: zip(jobs, limits).map { (job: $0, limit: $1) })
        condition.broadcast()
        condition.unlock()
    }

    /// Waits up to `timeout` seconds for finished jobs; answers for any job past its deadline.
    func collect(timeout: Double) -> [FinishedJob] {
        condition.lock()
        defer { condition.unlock() }
        if finished.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
        let now = Date().timeIntervalSince1970
        for (worker, entry) in running where now - entry.started > entry.limit {
            running[worker] = nil
            abandoned.insert(worker)
            finished.append(FinishedJob(job: entry.job, change: overdue(entry.job, now - entry.started)))
            startWorker()
        }
        defer { finished.removeAll() }
        return finished
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    // Called with the lock held, or from init.
    private func startWorker() {
        let worker = nextWorker
        nextWorker += 1
        let thread = Thread { [self] in loop(worker) }
        thread.stackSize = 8 << 20  // exiv2 and libjpeg recurse on hostile files
        thread.start()
    }

    private func loop(_ worker: Int) {
        // The name the system shows (15 bytes at most): crash tests find indexing threads by it.
        Thread.current.name = "vf-index-\(worker % 1000)"
        while true {
            condition.lock()
            while queued.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let (job, limit) = queued.removeFirst()
            running[worker] = (job, Date().timeIntervalSince1970, limit)
            condition.unlock()

            vf_crash_guard_hold(job.id ?? 0)
            let change = work(job)
            vf_crash_guard_hold(0)

            condition.lock()
            if abandoned.contains(worker) {
                condition.unlock()
                return  // answered for already; the replacement thread carries on
            }
            running[worker] = nil
            finished.append(FinishedJob(job: job, change: change))
            condition.broadcast()
            condition.unlock()
        }
    }
}
