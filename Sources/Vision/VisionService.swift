/// Something that answers protocol frames: a child process over pipes, or a worker over HTTP.
public protocol WorkerTransport: Sendable {
    /// Sends one request frame and returns the body of the response frame.
    func exchange(_ frame: [UInt8], timeout: Double) throws(VisionError) -> [UInt8]
    /// Models the worker loaded, from its hello.
    func hello() throws(VisionError) -> [String]
    func shutdown()
    /// Lets a local worker's process go until a request needs it again; nothing for a worker elsewhere.
    func release()
    /// How many requests it answers at once (one per worker it spreads them over).
    var parallelRequests: Int { get }
}

/// Describes photos and embeds queries; the indexer and search see only this.
public protocol VisionService: Sendable {
    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>]
    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]]
    var models: [String] { get }
    /// Starts or reaches the worker and returns its models (`name@hash` entries identify weights).
    func connect() throws(VisionError) -> [String]
    /// Sizes and times of the model files a local worker would load, to notice changed weights without starting
    /// it; nil when they cannot be seen from here (a remote worker).
    var modelFilesStamp: String? { get }
    func shutdown()
    /// Gives back what an idle worker holds (a local one's process, hundreds of MB) until the next request.
    func release()
    /// How many batches may be out at once.
    var parallelRequests: Int { get }
}

extension WorkerTransport {
    public func release() {}
    public var parallelRequests: Int { 1 }
}

extension VisionService {
    public func connect() throws(VisionError) -> [String] { models }
    public var modelFilesStamp: String? { nil }
    public func release() {}
    public var parallelRequests: Int { 1 }
}
