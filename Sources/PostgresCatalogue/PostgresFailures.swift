import Catalogue
import PostgresNIO

extension PSQLError: StorageError {
    /// A full disk, no permission or a lost server, as PostgreSQL reports it (SQLSTATE classes).
    public func storeFailure(file: String) -> StoreFailure {
        let state = serverInfo?[.sqlState] ?? ""
        let detail = serverInfo?[.message] ?? "\(code)"
        switch state {
        case "53100": return StoreFailure(kind: .full, file: file, detail: detail)
        case "XX001", "XX002": return StoreFailure(kind: .damaged, file: file, detail: detail)
        case "42501", "25006": return StoreFailure(kind: .unwritable, file: file, detail: detail)
        default:
            if state.hasPrefix("08") || serverInfo == nil {
                return StoreFailure(kind: .other, file: file, detail: "the connection failed: \(String(reflecting: self))")
            }
            return StoreFailure(kind: .other, file: file, detail: detail)
        }
    }
}
