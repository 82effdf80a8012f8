import Catalogue
import GRDB

extension DatabaseError: StorageError {
    /// A full disk, a damaged file or no permission, as SQLite reports it.
    public func storeFailure(file: String) -> StoreFailure {
        let detail = message ?? "\(resultCode)"
        switch resultCode {
        case .SQLITE_FULL: return StoreFailure(kind: .full, file: file, detail: detail)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return StoreFailure(kind: .damaged, file: file, detail: detail)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return StoreFailure(kind: .unwritable, file: file, detail: detail)
        case .SQLITE_IOERR: return StoreFailure(kind: .other, file: file, detail: "input/output error: \(detail)")
        default: return StoreFailure(kind: .other, file: file, detail: detail)
        }
    }
}
