import Foundation

/// This process as a holder of job claims and a crash log: host, pid and the time the process started (pids are
/// reused), so a claim or a log left by a process that died can be told from one of a process still running.
enum ProcessIdentity {
    static let current = "\(host)/\(getpid())/\(startTime(getpid()) ?? "0")"

    static let host = ProcessInfo.processInfo.hostName

    /// Whether the claimant is a process of this machine that is no longer running. Another machine's claims
    /// cannot be checked from here: they lapse with their lease.
    static func isGone(_ identity: String) -> Bool {
        let parts = identity.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == host, let pid = Int32(parts[1]) else { return false }
        return startTime(pid) != String(parts[2])
    }

    /// Field 22 of /proc/PID/stat: clock ticks from boot to the process's start; nil when it is not running.
    static func startTime(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return nil }
        // After the name in parentheses come fields 3 onwards.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
