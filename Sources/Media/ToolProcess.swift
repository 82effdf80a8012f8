import Foundation
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs a tool (FFmpeg's, jpegtran) as a child process under a deadline: a decoder that hangs or crashes on a
/// hostile file costs that process, never the indexer or the organiser.
public struct ToolProcess: Sendable {
    /// The tool's name on PATH (`ffprobe`, `ffmpeg`, `jpegtran`).
    let name: String
    let seconds: Double
    /// Output beyond this is a broken or hostile file, not a frame or a probe.
    let maxOutput: Int

    public init(name: String, seconds: Double, maxOutput: Int) {
        (self.name, self.seconds, self.maxOutput) = (name, seconds, maxOutput)
    }

    /// The executable on PATH, or nil when the tool is not installed.
    public static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    static func notInstalled(_ name: String, stage: IndexStage) -> IndexProblem {
        IndexProblem(stage, "\(name) is not installed (Debian: apt-get install ffmpeg), so videos cannot be read")
    }

    /// The tool's standard output; throws with its last error line when it fails, runs late or is missing.
    public func run(_ arguments: [String], stage: IndexStage) throws(IndexProblem) -> [UInt8] {
        guard let executable = Self.locate(name) else { throw Self.notInstalled(name, stage: stage) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw IndexProblem(stage, "\(name) did not start: \(error)") }
        var stdout = [UInt8](), stderr = [UInt8]()
        let ended = drain(output.fileHandleForReading.fileDescriptor, errors.fileHandleForReading.fileDescriptor,
                          into: &stdout, &stderr)
        if !ended { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? output.fileHandleForReading.close()
        try? errors.fileHandleForReading.close()
        guard ended else {
            throw IndexProblem(stage, stdout.count > maxOutput ? "\(name) wrote more than \(maxOutput >> 20) MiB; stopped"
                                                               : "\(name) took longer than \(Int(seconds)) s and was stopped")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let lines = String(decoding: stderr, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let last = lines.last { !$0.isEmpty } ?? "no message"
            let how = process.terminationReason == .exit ? "failed" : "crashed (signal \(process.terminationStatus))"
            throw IndexProblem(stage, "\(name) \(how): \(last)")
        }
        return stdout
    }

    /// Reads both pipes until they close; false when the deadline passed or the output grew too large.
    private func drain(_ out: Int32, _ err: Int32, into stdout: inout [UInt8], _ stderr: inout [UInt8]) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var open: [Int32] = [out, err]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !open.isEmpty {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000))
            if ready < 0 && errno != EINTR { return false }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    open.removeAll { $0 == entry.fd }
                } else if entry.fd == out {
                    stdout += buffer[..<count]
                    if stdout.count > maxOutput { return false }
                } else {
                    stderr += buffer[..<count]
                    if stderr.count > 1 << 20 { stderr.removeFirst(stderr.count - (64 << 10)) }  // only the end is said
                }
            }
        }
        return true
    }
}
