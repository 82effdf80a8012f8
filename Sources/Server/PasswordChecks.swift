import NIOCore
import NIOPosix

/// Password checks on threads of their own, a few at once: bcrypt spends a quarter of a second of CPU on
/// purpose, and parallel guesses must not take the cores searches need (the sign-in limiter bounds the queue).
final class PasswordChecks: Sendable {
    /// At most one check per two cores, and one on a small machine.
    static let shared = PasswordChecks(threads: max(1, min(2, System.coreCount / 2)))

    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func check(_ verify: @escaping @Sendable () -> Bool) async -> Bool {
        (try? await pool.runIfActive(verify)) ?? false
    }

    deinit { pool.shutdownGracefully { _ in } }
}
