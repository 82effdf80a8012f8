import Catalogue
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Serialises opening and migrating across processes: two commands opening a new catalogue at the same moment
/// would otherwise both read "nothing applied" and both create the tables, or both switch it to WAL.
enum MigrationLock {
    static func holding<T>(beside databasePath: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(databasePath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: databasePath + ".lock"])
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
