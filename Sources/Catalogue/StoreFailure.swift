/// The data folder itself failed (a full disk, a damaged file, no permission): not any photo's fault, so the
/// work stops with a plain sentence instead of recording photos as broken.
public struct StoreFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case full, damaged, unwritable, other }

    public var kind: Kind
    public var file: String
    public var detail: String

    public var description: String {
        switch kind {
        case .full:
            "the disk holding \(file) is full (\(detail)): nothing already stored was lost; free some space and run the "
                + "command again to carry on where it stopped"
        case .damaged:
            "\(file) is damaged (\(detail)); restore the last copy made by `viewfinder backup` (see the README, "
                + "Backup and restore), or move the file away to start a new catalogue"
        case .unwritable:
            "\(file) cannot be written (\(detail)): check the data folder's permissions and free space"
        case .other:
            "\(file): \(detail)"
        }
    }

    public init(kind: Kind, file: String, detail: String) {
        self.kind = kind
        self.file = file
        self.detail = detail
    }

    /// The storage failure an error of a store stands for; nil for errors that are not a store's.
    public init?(_ error: any Error, file: String) {
        guard let failure = (error as? StorageError)?.storeFailure(file: file) else { return nil }
        self = failure
    }

    /// Any error of a store operation as a storage failure.
    public static func of(_ error: any Error, file: String) -> StoreFailure {
        error as? StoreFailure ?? StoreFailure(error, file: file) ?? StoreFailure(kind: .other, file: file, detail: "\(error)")
    }

    /// Runs a store operation, turning storage failures into a `StoreFailure`.
    public static func guarding<T>(_ file: String, _ operation: () throws -> T) throws -> T {
        do { return try operation() } catch { throw StoreFailure(error, file: file) ?? error }
    }
}

/// An error of a store's database that can say which storage failure it stands for.
public protocol StorageError: Error {
    func storeFailure(file: String) -> StoreFailure
}
