import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A worker on another machine (`viewfinder worker serve`): the same frames, POSTed to /v1.
public final class RemoteWorker: WorkerTransport, @unchecked Sendable {
    let endpoint: URL
    let session: URLSession

    public init(_ base: URL) {
        endpoint = base.appendingPathComponent("v1")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 2
        session = URLSession(configuration: configuration)
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
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<[UInt8], VisionError> = .failure(VisionError("no answer", workerFailed: true))
        session.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                outcome = .failure(VisionError("worker at \(self.endpoint) unreachable: \(error.localizedDescription)", unavailable: true))
            } else if let status = (response as? HTTPURLResponse)?.statusCode, status != 200 {
                outcome = .failure(VisionError("worker at \(self.endpoint) answered HTTP \(status)", workerFailed: true))
            } else if let data, data.count >= 4 {
                outcome = .success([UInt8](data.dropFirst(4)))
            } else {
                outcome = .failure(VisionError("worker at \(self.endpoint) sent an empty answer", workerFailed: true))
            }
        }.resume()
        done.wait()
        return try outcome.get()
    }

    public func shutdown() { session.finishTasksAndInvalidate() }
}
