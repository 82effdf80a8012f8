import Foundation

/// A PostgreSQL server of the tests' own, in a temporary folder, started once per test process and stopped
/// when it exits: never a system server. Run as root, it runs as `nobody` (PostgreSQL refuses root).
public final class TemporaryPostgres: @unchecked Sendable {
    public static let shared = Result { try TemporaryPostgres() }

    public let folder: String
    public let port: Int
    private let binaries: String
    private let lock = NSLock()
    private var databases = 0

    /// A fresh, empty database on the shared server, as a `postgresql://` URL.
    public static func database() throws -> String { try shared.get().makeDatabase() }

    init() throws {
        guard let binaries = Self.binaries() else {
            throw PostgresSetupError("""
                PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH: \
                run scripts/setup.sh, which installs Debian's postgresql-15
                """)
        }
        self.binaries = binaries
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("viewfinder-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        port = freePort()
        if getuid() == 0 { _ = try runProgram("/bin/chown", ["nobody", folder]) }
        try run("initdb", ["-D", folder + "/data", "-U", "viewfinder", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        try run("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start", "-o",
                           "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"])
        Self.started.append(folder + "/data")
        atexit { TemporaryPostgres.stopAll() }
    }

    public func makeDatabase() throws -> String {
        lock.lock()
        databases += 1
        let name = "test_\(getpid())_\(databases)"
        lock.unlock()
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "viewfinder", name])
        return "postgresql://viewfinder@127.0.0.1:\(port)/\(name)"
    }

    /// The server's log, for a failing test's message.
    public var log: String { (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "" }

    /// Runs one of the server's programs (as `nobody` when root), its output in a file. Spawned and reaped by
    /// hand: the server pg_ctl leaves running keeps Foundation's Process from ever seeing pg_ctl end.
    private func run(_ program: String, _ arguments: [String]) throws {
        let command = Self.command(binaries + "/" + program, arguments)
        let output = folder + "/\(program).out"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresSetupError("cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw PostgresSetupError("\(program) failed (wait status \(status)): \(said)")
        }
    }

    /// The command line for a server program: as `nobody` (no PAM session, straight exec) when run as root.
    private static func command(_ path: String, _ arguments: [String]) -> [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", path] + arguments
                      : [path] + arguments
    }

    nonisolated(unsafe) private static var started: [String] = []

    private static func stopAll() {
        guard let binaries = binaries() else { return }
        for data in started {
            let stop = command(binaries + "/pg_ctl", ["-D", data, "-m", "immediate", "-s", "stop"])
            var pid: pid_t = 0
            let argv = stop.map { strdup($0) } + [nil]
            if posix_spawn(&pid, stop[0], nil, nil, argv, environ) == 0 { waitpid(pid, nil, 0) }
            argv.forEach { free($0) }
            try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
        }
    }

    /// The newest installed server's programs.
    private static func binaries() -> String? {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = versions.last { return "/usr/lib/postgresql/\(newest)/bin" }
        return programPath("pg_ctl").map { ($0 as NSString).deletingLastPathComponent }
    }
}

public struct PostgresSetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A port nothing listens on now: the kernel picks one for a socket bound to port 0.
public func freePort() -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
