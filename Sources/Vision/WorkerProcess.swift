import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The model worker as a child process, frames over its stdin and stdout. Started on first use, restarted
/// with back-off after it dies or hangs, asked to leave cleanly at the end.
public final class WorkerProcess: WorkerTransport, @unchecked Sendable {
    public let command: [String]
    let environment: [String: String]
    let logPath: String?
    let startTimeout: Double
    private let lock = NSLock()
    private var process: Process?
    private var input: Int32 = -1
    private var output: Int32 = -1
    private var loadedModels: [String] = []
    private var failures = 0

    public init(command: [String], environment: [String: String] = [:], logPath: String? = nil, startTimeout: Double = 180) {
        self.command = command
        self.environment = environment
        self.logPath = logPath
        self.startTimeout = startTimeout
    }

    /// The running worker's process id, for tests that kill it.
    public var pid: Int32? { lock.withLock { process?.processIdentifier } }

    public func hello() throws(VisionError) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        try startIfNeeded()
        return loadedModels
    }

    public func exchange(_ frame: [UInt8], timeout: Double) throws(VisionError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        try startIfNeeded()
        do {
            let body = try roundTrip(frame, timeout: timeout)
            failures = 0
            return body
        } catch {
            stop(force: true)
            failures += 1
            throw error
        }
    }

    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard process != nil else { return }
        if let bye = try? WorkerFrame.encode(["op": "shutdown"]) { _ = try? roundTrip(bye, timeout: 5) }
        stop(force: false)
    }

    /// Asks the worker to leave as `shutdown` does; the next request starts it again.
    public func release() { shutdown() }

    private func startIfNeeded() throws(VisionError) {
        if let process, process.isRunning { return }
        if process != nil { stop(force: true) }
        // Back-off after repeated deaths: 0, 1, 2, 4 ... 30 s.
        if failures > 1 { Thread.sleep(forTimeInterval: min(30, pow(2, Double(failures - 2)))) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: command[0])
        child.arguments = Array(command.dropFirst())
        child.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let requests = Pipe(), responses = Pipe()
        child.standardInput = requests
        child.standardOutput = responses
        if let logPath, FileManager.default.fileExists(atPath: logPath) || FileManager.default.createFile(atPath: logPath, contents: nil),
           let log = FileHandle(forWritingAtPath: logPath) {
            log.seekToEndOfFile()
            child.standardError = log
        }
        do { try child.run() } catch {
            failures += 1
            throw VisionError("cannot start the model worker \(command.joined(separator: " ")): \(error)", unavailable: true)
        }
        process = child
        input = requests.fileHandleForWriting.fileDescriptor
        output = responses.fileHandleForReading.fileDescriptor
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        // The pipes stay referenced so the descriptors polled above stay open.
        retained = (requests, responses)
        do {
            let body = try roundTrip(try WorkerFrame.encode(["op": "hello"]), timeout: startTimeout)
            let header = try WorkerFrame.header(of: body)
            loadedModels = header["models"] as? [String] ?? []
        } catch let error as VisionError {
            stop(force: true)
            failures += 1
            throw VisionError("the model worker did not start: \(error.reason)\(logHint)", unavailable: true)
        } catch {
            stop(force: true)
            throw VisionError("the model worker did not start: \(error)", unavailable: true)
        }
    }

    private var retained: (Pipe, Pipe)?

    private var logHint: String { logPath.map { " (its log: \($0))" } ?? "" }

    private func stop(force: Bool) {
        guard let child = process else { return }
        retained?.0.fileHandleForWriting.closeFile()
        if force || !waitForExit(child, seconds: 5) {
            kill(child.processIdentifier, SIGKILL)
        }
        child.waitUntilExit()
        retained?.1.fileHandleForReading.closeFile()
        retained = nil
        process = nil
    }

    private func waitForExit(_ child: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while child.isRunning && Date() < deadline { usleep(20_000) }
        return !child.isRunning
    }

    private func roundTrip(_ frame: [UInt8], timeout: Double) throws(VisionError) -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        try write(frame, deadline: deadline)
        let prefix = try read(4, deadline: deadline)
        let length = Int(WorkerFrame.readUInt32(prefix, at: 0))
        guard length <= WorkerFrame.maxBytes else { throw VisionError("worker sent a \(length)-byte frame", workerFailed: true) }
        return try read(length, deadline: deadline)
    }

    private func write(_ bytes: [UInt8], deadline: Date) throws(VisionError) {
        var sent = 0
        while sent < bytes.count {
            try wait(for: input, events: Int16(POLLOUT), deadline: deadline)
            let count = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress! + sent, bytes.count - sent) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw VisionError("the model worker stopped reading (it exited?)\(logHint)", workerFailed: true)
            }
            sent += count
        }
    }

    private func read(_ count: Int, deadline: Date) throws(VisionError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            try wait(for: output, events: Int16(POLLIN), deadline: deadline)
            let got = bytes.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress! + received, count - received) }
            if got < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            if got <= 0 { throw VisionError("the model worker exited in the middle of a request\(logHint)", workerFailed: true) }
            received += got
        }
        return bytes
    }

    private func wait(for descriptor: Int32, events: Int16, deadline: Date) throws(VisionError) {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw VisionError("the model worker did not answer within its time limit", workerFailed: true) }
            var poller = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw VisionError("poll failed: \(errno)", workerFailed: true) }
        }
    }
}
