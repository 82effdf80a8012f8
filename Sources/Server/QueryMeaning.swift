import Foundation
import Search
import Vision

/// Query words turned into vectors by the model worker, remembered: as-you-type search asks for the same
/// words again and again.
public final class QueryMeaning: @unchecked Sendable {
    private let connect: @Sendable () -> VisionService?
    private let lock = NSLock()
    private var service: VisionService?
    private var connected = false
    private var remembered = [String: [String: [Float]]]()
    private var order = [String]()
    let capacity = 512

    /// - Parameter connect: starts the worker, on the first query with words.
    public init(connect: @escaping @Sendable () -> VisionService?) {
        self.connect = connect
    }

    /// The words of a query that carry meaning, or nil when it has none (filters alone, exclusions).
    public static func words(of query: Query) -> String? {
        let words = query.words.filter { !$0.excluded }.flatMap(\.alternatives)
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// Vectors by model; empty when the worker cannot be had (search goes on by words).
    public func vectors(for words: String) -> [String: [Float]] {
        lock.withLock {
            if let known = remembered[words] { return known }
            if !connected { service = connect(); connected = true }
            guard let service, let found = try? service.embed([words]) else { return [:] }
            let vectors = found.compactMapValues(\.first)
            remembered[words] = vectors
            order.append(words)
            if order.count > capacity { remembered[order.removeFirst()] = nil }
            return vectors
        }
    }

    public func shutdown() { lock.withLock { service?.shutdown() } }
}
