import Foundation
import ViewfinderCore
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Notices changes below library folders: inotify where it works, a periodic rescan where it cannot
/// (network mounts, or more folders than the system's inotify watch limit allows).
public final class LibraryWatcher {
    /// Quiet time after the last change before a rescan, so a copy of 1,000 files is one rescan.
    public var settleSeconds = 2.0
    public let pollSeconds: Double
    let roots: [String]
    let walker: LibraryWalker
    let logger: Logger

    public init(roots: [String], excludes: [String] = [], pollSeconds: Double = 60,
                logger: Logger = Logger(label: "viewfinder.watcher")) {
        self.roots = roots
        self.walker = LibraryWalker(excludes: excludes)
        self.pollSeconds = pollSeconds
        self.logger = logger
    }

    /// Why inotify is not used, or nil when it is.
    public private(set) var pollingReason: String?

    /// Blocks, calling `changed` after changes settle (or every `pollSeconds` when polling), until
    /// `changed` returns false.
    public func watch(_ changed: () throws -> Bool) throws {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        defer { if descriptor >= 0 { close(descriptor) } }
        pollingReason = descriptor < 0 ? "inotify unavailable: \(String(cString: strerror(errno)))" : networkMount()
        if pollingReason == nil { pollingReason = addWatches(descriptor) }
        if let reason = pollingReason {
            logger.notice("watching by rescanning every \(Int(pollSeconds)) s", metadata: ["reason": "\(reason)"])
            while true {
                Thread.sleep(forTimeInterval: pollSeconds)
                if try !changed() { return }
            }
        }
        // Whatever changed between the caller's last scan and the watches being in place (a long run's
        // describing stage, say) would raise no event: one rescan now catches it.
        var lastEvent: Date? = .distantPast
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&waiting, 1, 500) > 0 {
                while buffer.withUnsafeMutableBytes({ Glibc.read(descriptor, $0.baseAddress, $0.count) }) > 0 {
                    lastEvent = Date()
                }
            }
            if let last = lastEvent, Date().timeIntervalSince(last) >= settleSeconds {
                lastEvent = nil
                // New folders need watches of their own; adding an existing one is harmless.
                if let reason = addWatches(descriptor) {
                    pollingReason = reason
                    logger.warning("inotify stopped working; falling back to rescans", metadata: ["reason": "\(reason)"])
                    return try watch(changed)
                }
                if try !changed() { return }
            }
        }
    }

    private func addWatches(_ descriptor: Int32) -> String? {
        let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_watches", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 8192
        var folders = [String]()
        for root in roots { walker.walk(root, folder: { folders.append($0) }, found: { _ in }) }
        // Leave most of the system's watches to other programs.
        if folders.count > limit / 2 {
            return "\(folders.count) folders, over half the system's \(limit) inotify watches"
        }
        let mask = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_ATTRIB)
        for folder in folders where FileSystemPath.withCString(folder, { inotify_add_watch(descriptor, $0, mask) }) < 0 {
            return "cannot watch \(folder): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// inotify sees nothing that other machines change on network file systems.
    private func networkMount() -> String? {
        guard let table = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return nil }
        let mounts = table.split(separator: "\n").compactMap { line -> (point: String, type: String)? in
            let fields = line.split(separator: " ")
            return fields.count >= 3 ? (String(fields[1]).replacingOccurrences(of: "\\040", with: " "), String(fields[2])) : nil
        }
        let remote = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "sshfs"]
        for root in roots {
            let mount = mounts.filter { root == $0.point || root.hasPrefix($0.point == "/" ? "/" : $0.point + "/") }
                .max { $0.point.count < $1.point.count }
            if let mount, remote.contains(mount.type) || mount.type.hasPrefix("fuse.") {
                return "\(root) is on a \(mount.type) mount"
            }
        }
        return nil
    }
}
