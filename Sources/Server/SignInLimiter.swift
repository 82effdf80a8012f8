import Foundation

/// Failed sign-ins allowed per address (and in all) in a sliding minute: bcrypt makes each guess slow,
/// this makes guessing at scale impossible.
final class SignInLimiter: @unchecked Sendable {
    let perAddress: Int
    let overall: Int
    let window: TimeInterval
    private let lock = NSLock()
    /// Attempts by address: failed ones, and those still being checked.
    private var attempts = [String: [Date]]()

    init(perAddress: Int = 5, overall: Int = 30, window: TimeInterval = 60) {
        self.perAddress = perAddress
        self.overall = overall
        self.window = window
    }

    /// Reserves an attempt for this address in the same step as the check, counted as failed until
    /// `succeeded`: parallel guesses cannot all pass the check before any is recorded. Returns the seconds to
    /// wait instead when no attempt is left.
    func reserve(_ address: String, now: Date = Date()) -> Int? {
        lock.withLock {
            forgetOld(now)
            let mine = attempts[address] ?? []
            let all = attempts.values.flatMap { $0 }
            if mine.count >= perAddress, let first = mine.min() { return secondsUntil(first, now) }
            if all.count >= overall, let first = all.min() { return secondsUntil(first, now) }
            attempts[address, default: []].append(now)
            return nil
        }
    }

    /// The right password: this address's reserved and failed attempts are forgotten.
    func succeeded(_ address: String) {
        lock.withLock { attempts[address] = nil }
    }

    private func secondsUntil(_ first: Date, _ now: Date) -> Int {
        max(1, Int((window - now.timeIntervalSince(first)).rounded(.up)))
    }

    private func forgetOld(_ now: Date) {
        for (address, times) in attempts {
            let recent = times.filter { now.timeIntervalSince($0) < window }
            attempts[address] = recent.isEmpty ? nil : recent
        }
    }
}
