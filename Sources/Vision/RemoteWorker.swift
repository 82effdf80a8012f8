import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A worker on another machine (`viewfinder worker serve`), perhaps behind a TLS-terminating proxy: the same
/// frames, POSTed to `v1` under the URL given (its path prefix kept), with the shared token when there is one.
public final class RemoteWorker: WorkerTransport, @unchecked Sendable {
    /// The URL as given, to name the worker in messages.
    public let base: URL
    let endpoint: URL
    let health: URL
    let token: String?
    let session: URLSession
    /// Health checks go apart, so they never wait behind the requests they are checking on.
    let probes: URLSession
    /// How long a request may run before the worker is asked whether it is still there.
    let probeEvery: Double
    private let lock = NSLock()
    /// Set by `shutdown`: a session asked for a task after it was invalidated traps.
    private var closed = false

    public init(_ base: URL, token: String? = nil, probeEvery: Double = 10) {
        self.base = base
        endpoint = base.appendingPathComponent("v1")
        health = base.appendingPathComponent("health")
        self.token = token
        self.probeEvery = probeEvery
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 2
        session = URLSession(configuration: configuration)
        probes = URLSession(configuration: .ephemeral)
    }

    public func hello() throws(VisionError) -> [String] {
        let body = try exchange(try! WorkerFrame.encode(["op": "hello"]), timeout: 30)
        return try WorkerFrame.header(of: body)["models"] as? [String] ?? []
    }

    public func exchange(_ frame: [UInt8], timeout: Double) throws(VisionError) -> [UInt8] {
        var request = URLRequest(url: endpoint, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(frame)
        request.setValue("application/x-viewfinder-frame", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<[UInt8], VisionError> = .failure(VisionError("no answer", workerFailed: true))
        let task = try started(session, request) { data, response, error in
            outcome = self.outcome(data: data, response: response, error: error)
            done.signal()
        }
        // A worker that hangs, or whose machine vanished, sends nothing (not even a reset) until the deadline.
        while done.wait(timeout: .now() + probeEvery) == .timedOut {
            guard answersHealthCheck() else {
                task.cancel()
                done.wait()
                throw VisionError("the model worker at \(base) stopped answering", unavailable: true)
            }
        }
        return try outcome.get()
    }

    /// What a response means: a worker gone (unreachable, refusing the token, a proxy with nothing behind it)
    /// makes the request go elsewhere; only a frame too large is this request's own fault.
    private func outcome(data: Data?, response: URLResponse?, error: Error?) -> Result<[UInt8], VisionError> {
        if let error {
            return .failure(VisionError("the model worker at \(base) is unreachable: \(error.localizedDescription)", unavailable: true))
        }
        switch (response as? HTTPURLResponse)?.statusCode ?? 0 {
        case 200:
            guard let data, data.count >= 4 else {
                return .failure(VisionError("the model worker at \(base) sent an empty answer", workerFailed: true))
            }
            return .success([UInt8](data.dropFirst(4)))
        case 401, 403:
            let hint = token == nil ? " (none was given: set VIEWFINDER_WORKER_TOKEN or --worker-token-file)" : ""
            return .failure(VisionError("the model worker at \(base) refused the token\(hint)", unavailable: true))
        case 413:
            return .failure(VisionError("the model worker at \(base) refused a request as too large", workerFailed: true))
        case let status:
            return .failure(VisionError("the model worker at \(base) answered HTTP \(status)", unavailable: true))
        }
    }

    /// Whether /health answers within a few seconds; it needs no token and waits for no model.
    func answersHealthCheck() -> Bool {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var healthy = false
        guard let probe = try? started(probes, URLRequest(url: health, timeoutInterval: 5), { _, response, _ in
            healthy = (response as? HTTPURLResponse)?.statusCode == 200
            done.signal()
        }) else { return false }
        if done.wait(timeout: .now() + 6) == .timedOut {
            probe.cancel()
            done.wait()
        }
        return healthy
    }

    private func started(_ session: URLSession, _ request: URLRequest,
                         _ completion: @escaping @Sendable (Data?, URLResponse?, Error?) -> Void) throws(VisionError) -> URLSessionDataTask {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw VisionError("the model worker at \(base) is no longer used", unavailable: true) }
        let task = session.dataTask(with: request, completionHandler: completion)
        task.resume()
        return task
    }

    public func shutdown() {
        lock.withLock { closed = true }
        session.finishTasksAndInvalidate()
        probes.finishTasksAndInvalidate()
    }
}
