import NIOPosix

/// SQLite reads, file reads and other calls that block a thread run on NIO's pool for blocking work: on
/// Swift's cooperative pool (where `Task.detached` runs too) a few of them would stall every request.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
