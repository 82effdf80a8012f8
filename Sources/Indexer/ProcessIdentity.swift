import Foundation

/// This process as a holder of job claims and a crash log: host, pid namespace, pid and the time the process
/// started (pids are reused), so a claim or a log left by a process that died can be told from one of a process
/// still running.
enum ProcessIdentity {
    static let current = "\(host)/\(namespace ?? "-")/\(getpid())/\(startTime(getpid()) ?? "-")"

    /// The host name alone is not enough (many machines are called `raspberrypi` or `nas`, and every host's own
    /// pid namespace has the same number): the kernel's boot id tells machines apart.
    static let host: String = {
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        let name = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        return boot.isEmpty ? name : "\(name)@\(boot.prefix(8))"
    }()

    /// Containers sharing a host name have pid namespaces of their own: a pid means something only inside one.
    static let namespace: String? = {
        var info = stat()
        return stat("/proc/self/ns/pid", &info) == 0 ? String(info.st_ino) : nil
    }()

    /// Whether the claimant is a process of this machine and pid namespace that is no longer running. What cannot
    /// be checked from here (another machine, another container, no /proc) is never taken for gone: it lapses
    /// with its lease.
    static func isGone(_ identity: String) -> Bool {
        let parts = identity.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == host, let namespace, parts[1] == namespace, let pid = Int32(parts[2]),
              startTime(getpid()) != nil else { return false }
        return startTime(pid) != String(parts[3])
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
