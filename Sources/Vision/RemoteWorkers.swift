import Foundation

/// Several remote workers sharing one indexer's requests. Each request goes to the worker with the fewest requests
/// in flight (ties in turn). A worker that cannot be reached, refuses the token or stops answering is left alone
/// for a while (5 s, doubling to a minute) and the request goes to the next; only when none is left does the
/// request fail as `unavailable`, which leaves the photos queued. A worker whose models differ from the first
/// one's is not used: one run's descriptions come from one set of weights.
public final class RemoteWorkers: WorkerTransport, @unchecked Sendable {
    enum Standing: Equatable {
        case unknown, ready
        case away(until: Date, failures: Int)
        case setAside
    }

    struct State {
        var standing = Standing.unknown
        var inFlight = 0
        /// Why it is away or set aside, for the message when none is left.
        var trouble: String?
    }

    let workers: [RemoteWorker]
    /// Says in words when a worker goes away, comes back or is set aside.
    let report: @Sendable (String) -> Void
    private let lock = NSLock()
    private var states: [State]
    private var turn = 0
    private var models: [String]?

    public init(_ workers: [RemoteWorker], report: @escaping @Sendable (String) -> Void = { _ in }) {
        precondition(!workers.isEmpty, "at least one worker")
        self.workers = workers
        self.report = report
        states = Array(repeating: State(), count: workers.count)
    }

    /// One request per worker at a time keeps each busy; more would wait in its queue.
    public var parallelRequests: Int { workers.count }

    /// Greets every worker at once (one that is away costs its timeout once, not once per worker); the first in
    /// the order given that answers decides the models.
    public func hello() throws(VisionError) -> [String] {
        let answers = AnswerList(count: workers.count)
        let done = DispatchGroup()
        for (index, worker) in workers.enumerated() {
            done.enter()
            Thread.detachNewThread {
                do throws(VisionError) { answers.set(index, .success(try worker.hello())) } catch { answers.set(index, .failure(error)) }
                done.leave()
            }
        }
        done.wait()
        for (index, answer) in answers.items.enumerated() { settle(index, answer) }
        let (agreed, away) = lock.withLock {
            (models, states.filter { if case .away = $0.standing { true } else { false } }.compactMap(\.trouble))
        }
        guard let agreed else { throw lock.withLock { noneLeft() } }
        for trouble in away { report("\(trouble); the other workers do its share") }
        return agreed
    }

    public func exchange(_ frame: [UInt8], timeout: Double) throws(VisionError) -> [UInt8] {
        var tried = Set<Int>()
        while let (index, greeted) = pick(excluding: tried) {
            tried.insert(index)
            defer { lock.withLock { states[index].inFlight -= 1 } }
            do {
                if !greeted { try greet(index) }
                return try workers[index].exchange(frame, timeout: timeout)
            } catch where error.unavailable {
                settle(index, .failure(error))
            }
        }
        throw lock.withLock { noneLeft() }
    }

    public func shutdown() { workers.forEach { $0.shutdown() } }

    /// The least busy worker not tried yet and not away, and whether it has been greeted.
    private func pick(excluding tried: Set<Int>) -> (Int, Bool)? {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        var best: Int?
        for offset in workers.indices {
            let index = (turn + offset) % workers.count
            guard !tried.contains(index) else { continue }
            switch states[index].standing {
            case .setAside: continue
            case let .away(until, _) where until > now: continue
            default: break
            }
            if best.map({ states[index].inFlight < states[$0].inFlight }) ?? true { best = index }
        }
        guard let best else { return nil }
        turn = best + 1
        states[best].inFlight += 1
        return (best, states[best].standing == .ready)
    }

    /// A worker back after being away (or never greeted) must still answer and have the same models.
    private func greet(_ index: Int) throws(VisionError) {
        guard workers[index].answersHealthCheck() else {
            throw VisionError("the model worker at \(workers[index].base) is unreachable", unavailable: true)
        }
        settle(index, .success(try workers[index].hello()))
        if lock.withLock({ states[index].standing }) == .setAside {
            throw VisionError("the model worker at \(workers[index].base) is not used", unavailable: true)
        }
    }

    private func settle(_ index: Int, _ answer: Result<[String], VisionError>) {
        lock.lock()
        let before = states[index].standing
        var said: String?
        switch answer {
        case let .success(theirs):
            let agreed = models ?? theirs
            models = agreed
            if Set(theirs) == Set(agreed) {
                states[index].standing = .ready
                states[index].trouble = nil
                if case .away = before { said = "the model worker at \(workers[index].base) is back" }
            } else {
                states[index].standing = .setAside
                states[index].trouble = "the model worker at \(workers[index].base) has other models (\(theirs.sorted().joined(separator: ", "))) "
                    + "than the first one (\(agreed.sorted().joined(separator: ", "))): it is not used"
                said = states[index].trouble
            }
        case let .failure(error):
            guard before != .setAside else { break }
            var failures = 1
            if case let .away(_, earlier) = before { failures = earlier + 1 }
            let pause = min(60, 5 * pow(2, Double(failures - 1)))
            states[index].standing = .away(until: Date().addingTimeInterval(pause), failures: failures)
            states[index].trouble = error.reason
            if before == .ready { said = "\(error.reason); its work goes to the other workers, and it is tried again in \(Int(pause)) s" }
        }
        lock.unlock()
        if let said { report(said) }
    }

    /// Why no worker is left, worker by worker. Called with the lock held.
    private func noneLeft() -> VisionError {
        let reasons = states.compactMap(\.trouble)
        return VisionError(reasons.isEmpty ? "no model worker answered" : reasons.joined(separator: "; "), unavailable: true)
    }
}

/// Answers filled in by several threads.
private final class AnswerList: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Result<[String], VisionError>]

    init(count: Int) { answers = Array(repeating: .failure(VisionError("no answer", unavailable: true)), count: count) }

    func set(_ index: Int, _ answer: Result<[String], VisionError>) { lock.withLock { answers[index] = answer } }

    var items: [Result<[String], VisionError>] { lock.withLock { answers } }
}
