import Foundation

/// Failed sign-ins allowed per address (and in all) in a sliding minute: bcrypt makes each guess slow,
/// this makes guessing at scale impossible.
final class SignInLimiter: @unchecked Sendable {
    let perAddress: Int
    let overall: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var failures = [String: [Date]]()

    init(perAddress: Int = 5, overall: Int = 30, window: TimeInterval = 60) {
        self.perAddress = perAddress
        self.overall = overall
        self.window = window
    }

    /// Seconds to wait before this address may try again, or nil when it may try now.
    func wait(for address: String, now: Date = Date()) -> Int? {
        lock.withLock {
            forgetOld(now)
            let mine = failures[address] ?? []
            let all = failures.values.flatMap { $0 }
            if mine.count >= perAddress, let first = mine.first { return Int((window - now.timeIntervalSince(first)).rounded(.up)) }
            if all.count >= overall, let first = all.min() { return Int((window - now.timeIntervalSince(first)).rounded(.up)) }
            return nil
        }
    }

    func failed(_ address: String, now: Date = Date()) {
        lock.withLock { failures[address, default: []].append(now) }
    }

    func succeeded(_ address: String) {
        lock.withLock { failures[address] = nil }
    }

    private func forgetOld(_ now: Date) {
        for (address, times) in failures {
            let recent = times.filter { now.timeIntervalSince($0) < window }
            failures[address] = recent.isEmpty ? nil : recent
        }
    }
}
