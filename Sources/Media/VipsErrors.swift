import CShims
import CVips

#if canImport(Glibc)
import Glibc
#endif

/// libvips keeps one error buffer for the whole process, so with several threads a failure could be
/// reported in another photo's words. Calls run under a shared lock; a call that failed runs again
/// holding it exclusively, so the buffer then holds its own words only. Failures are rare; the shared
/// path costs a lock acquisition.
enum VipsErrors {
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
        let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        // Writers first: a diagnosis must not wait behind an endless stream of other threads' calls.
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        return lock
    }()

    /// The call's result, or the words libvips gave for its failure.
    static func run<T>(_ call: () -> T?) -> Result<T, VipsFailure> {
        pthread_rwlock_rdlock(lock)
        let first = call()
        pthread_rwlock_unlock(lock)
        if let first { return .success(first) }
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        vips_error_clear()
        if let second = call() { return .success(second) }
        return .failure(VipsFailure(message: lastError()))
    }

    private static func lastError() -> String {
        let text = String(cString: vf_vips_last_error())
        vips_error_clear()
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return lines.last.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 } ?? "libvips gave no reason"
    }
}

struct VipsFailure: Error {
    var message: String
}
