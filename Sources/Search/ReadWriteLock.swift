#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Many searches at once, or one change: a change waits for the searches in flight and new searches wait for it
/// (writers first, so a steady stream of searches cannot hold a change back).
final class ReadWriteLock: @unchecked Sendable {
    private let handle = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() {
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        pthread_rwlock_init(handle, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(handle)
        handle.deallocate()
    }

    func lockRead() { pthread_rwlock_rdlock(handle) }
    func lockWrite() { pthread_rwlock_wrlock(handle) }
    func unlock() { pthread_rwlock_unlock(handle) }

    func read<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lockRead()
        defer { unlock() }
        return try body()
    }

    func write<T>(_ body: () throws -> T) rethrows -> T {
        lockWrite()
        defer { unlock() }
        return try body()
    }
}
