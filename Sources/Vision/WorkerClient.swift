import Foundation

/// Speaks protocol v1 over a transport. The worker is started (or reached) on the first request, so a run
/// with nothing to describe never starts it. A batch the worker dies on is retried one photo at a time, so
/// only the photo that kills the worker twice is recorded as an error; the rest are described.
public final class WorkerClient: VisionService, @unchecked Sendable {
    let transport: WorkerTransport
    let timeoutPerPhoto: Double
    /// The folders a local worker loads its models from (see `ModelFiles`); empty for a remote one.
    let modelFolders: [String]
    private let lock = NSLock()
    private var loadedModels: [String]?

    public init(transport: WorkerTransport, timeoutPerPhoto: Double = 60, modelFolders: [String] = []) {
        self.transport = transport
        self.timeoutPerPhoto = timeoutPerPhoto
        self.modelFolders = modelFolders
    }

    public var modelFilesStamp: String? { modelFolders.isEmpty ? nil : ModelFiles.stamp(modelFolders) }

    /// Starts or reaches the worker and asks what it loaded; throws `unavailable` when it cannot.
    public func connect() throws(VisionError) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let loadedModels { return loadedModels }
        let models = try transport.hello()
        loadedModels = models
        return models
    }

    public var models: [String] { lock.withLock { loadedModels ?? [] } }

    public func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        guard !requests.isEmpty else { return [] }
        _ = try connect()
        do {
            return try send(requests)
        } catch where !error.unavailable {
            return try requests.map { request throws(VisionError) in try describeAlone(request) }
        }
    }

    private func describeAlone(_ request: DescribeRequest) throws(VisionError) -> Result<PhotoDescription, VisionError> {
        var lastError = VisionError("")
        for _ in 0..<2 {
            do { return try send([request])[0] } catch where !error.unavailable { lastError = error }
        }
        return .failure(VisionError("the model worker failed twice on this photo: \(lastError.reason)"))
    }

    private func send(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        var images = [[String: Any]]()
        var payload = [UInt8]()
        payload.reserveCapacity(requests.reduce(0) { $0 + $1.rgb.count })
        for (index, request) in requests.enumerated() {
            var image: [String: Any] = ["id": index, "width": request.width, "height": request.height, "offset": payload.count,
                                        "text": request.readText]
            if let taken = request.taken { image["taken"] = taken }
            if let latitude = request.latitude, let longitude = request.longitude {
                image["latitude"] = latitude
                image["longitude"] = longitude
            }
            images.append(image)
            payload += request.rgb
        }
        let frame: [UInt8]
        do { frame = try WorkerFrame.encode(["op": "describe", "images": images], payload: payload) } catch {
            throw VisionError("cannot encode a request: \(error)")
        }
        let body = try transport.exchange(frame, timeout: timeoutPerPhoto * Double(requests.count))
        let header = try WorkerFrame.header(of: body)
        guard header["ok"] as? Bool == true, let results = header["results"] as? [[String: Any]] else {
            throw VisionError("the worker refused the request: \(header["error"] ?? "no reason")", workerFailed: true)
        }
        var answers = [Result<PhotoDescription, VisionError>](repeating: .failure(VisionError("the worker sent no answer for this photo")),
                                                             count: requests.count)
        for result in results {
            guard let id = result["id"] as? Int, answers.indices.contains(id) else { continue }
            if let error = result["error"] as? String {
                answers[id] = .failure(VisionError("the models could not describe this photo: \(error)"))
            } else {
                answers[id] = Self.description(from: result)
            }
        }
        return answers
    }

    static func description(from result: [String: Any]) -> Result<PhotoDescription, VisionError> {
        var slim = result
        slim["timings"] = nil
        slim["id"] = nil
        do {
            let data = try JSONSerialization.data(withJSONObject: slim)
            return .success(try JSONDecoder().decode(PhotoDescription.self, from: data))
        } catch {
            return .failure(VisionError("the worker's answer does not parse: \(error)"))
        }
    }

    public func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] {
        _ = try connect()
        let frame: [UInt8]
        do { frame = try WorkerFrame.encode(["op": "embed", "texts": texts]) } catch { throw VisionError("\(error)") }
        let header = try WorkerFrame.header(of: try transport.exchange(frame, timeout: timeoutPerPhoto))
        guard let vectors = header["vectors"] as? [String: [[Double]]] else {
            throw VisionError("the worker sent no vectors: \(header["error"] ?? "no reason")")
        }
        return vectors.mapValues { $0.map { $0.map(Float.init) } }
    }

    public func shutdown() { transport.shutdown() }

    public func release() { transport.release() }

    public var parallelRequests: Int { transport.parallelRequests }
}

/// Lets many indexing threads ask for one photo each while the workers get batches: whoever finds a worker idle
/// (fewer batches out than the service answers at once) sends everything waiting.
public final class BatchingDescriber: @unchecked Sendable {
    public let service: VisionService
    let maxBatch: Int
    let parallel: Int
    private let condition = NSCondition()
    private var waiting = [(ticket: Int, request: DescribeRequest)]()
    private var answers = [Int: Result<PhotoDescription, VisionError>]()
    private var sending = 0
    private var nextTicket = 0
    /// Set once no worker can be reached, so the rest of the queue is left for a later run.
    public private(set) var unavailable: VisionError?

    public init(_ service: VisionService, maxBatch: Int = 8) {
        self.service = service
        self.maxBatch = maxBatch
        parallel = max(1, service.parallelRequests)
    }

    public func describe(_ request: DescribeRequest) -> Result<PhotoDescription, VisionError> {
        condition.lock()
        defer { condition.unlock() }
        if let unavailable { return .failure(unavailable) }
        let ticket = nextTicket
        nextTicket += 1
        waiting.append((ticket, request))
        while answers[ticket] == nil {
            // Photos still waiting when the workers went are not sent again: the run is ending, they stay queued.
            if let unavailable, let position = waiting.firstIndex(where: { $0.ticket == ticket }) {
                waiting.remove(at: position)
                return .failure(unavailable)
            }
            // Nothing waiting means this photo is in a batch already out.
            guard sending < parallel, !waiting.isEmpty else { condition.wait(); continue }
            sending += 1
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            condition.unlock()
            let results: [Result<PhotoDescription, VisionError>]
            do { results = try service.describe(batch.map(\.request)) } catch {
                results = batch.map { _ in .failure(error) }
                if error.unavailable { condition.lock(); unavailable = error; condition.unlock() }
            }
            condition.lock()
            for (item, result) in zip(batch, results) { answers[item.ticket] = result }
            sending -= 1
            condition.broadcast()
        }
        return answers.removeValue(forKey: ticket)!
    }
}
