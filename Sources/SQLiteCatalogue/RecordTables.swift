import Catalogue
import GRDB
import ViewfinderCore

// The catalogue's value types as rows of their SQLite tables: GRDB stays behind the store.

extension PhotoRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "photo"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension JobRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "job"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ProblemRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "problem"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension DescriptionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "description"
}

extension VectorRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "vector"
}

extension JobKind: DatabaseValueConvertible {}
extension IndexStage: DatabaseValueConvertible {}
extension ProblemSeverity: DatabaseValueConvertible {}
