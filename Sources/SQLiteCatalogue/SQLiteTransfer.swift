import Catalogue
import Foundation
import GRDB

/// A data folder's catalogue and renditions, row by row, for copying to or from another store.
public struct SQLiteTransfer: CatalogueTransfer {
    let store: SQLiteStore
    let renditions: SQLiteRenditionStore

    public init(store: SQLiteStore, renditions: SQLiteRenditionStore) {
        self.store = store
        self.renditions = renditions
    }

    /// Renditions live in their own file.
    private func pool(_ kind: TransferKind) -> (pool: DatabasePool, path: String) {
        kind == .renditions ? (renditions.pool, renditions.path) : (store.pool, store.path)
    }

    public func transferRows(_ kind: TransferKind, after: [TransferValue]?, limit: Int) throws -> [TransferRow] {
        let keys = kind.columns.prefix(kind.keyCount).map(\.name)
        var conditions = kind.condition.map { [$0] } ?? []
        var arguments = StatementArguments()
        if let after {
            // Text is compared byte by byte (SQLite's BINARY), as PostgreSQL's "C" does.
            conditions.append("(\(keys.joined(separator: ", "))) > (\(keys.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(after.map(Self.databaseValue))
        }
        arguments += [limit]
        let sql = """
            SELECT \(kind.columns.map(\.name).joined(separator: ", ")) FROM \(kind.table)
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(keys.joined(separator: ", ")) LIMIT ?
            """
        let (pool, path) = pool(kind)
        let columns = kind.columns
        return try StoreFailure.guarding(path) {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    TransferRow(cells: columns.indices.map { Self.value(row[$0] as DatabaseValue, columns[$0].type) })
                }
            }
        }
    }

    public func insertTransferRows(_ kind: TransferKind, _ rows: [TransferRow]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let names = kind.columns.map(\.name)
        // Only a row whose key (or other unique column) is already there is skipped; a NOT NULL failure still fails.
        let sql = """
            INSERT INTO \(kind.table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT DO NOTHING
            """
        let (pool, path) = pool(kind)
        return try StoreFailure.guarding(path) {
            try pool.write { db in
                let statement = try db.makeStatement(sql: sql)
                var added = 0
                for row in rows {
                    try statement.execute(arguments: StatementArguments(row.cells.map(Self.databaseValue)))
                    added += db.changesCount
                }
                return added
            }
        }
    }

    public func lastTransferKey(_ kind: TransferKind) throws -> [TransferValue]? {
        let keys = kind.columns.prefix(kind.keyCount)
        let sql = """
            SELECT \(keys.map(\.name).joined(separator: ", ")) FROM \(kind.table)
            \(kind.condition.map { "WHERE " + $0 } ?? "") ORDER BY \(keys.map { $0.name + " DESC" }.joined(separator: ", ")) LIMIT 1
            """
        let (pool, path) = pool(kind)
        return try StoreFailure.guarding(path) {
            try pool.read { db in
                try Row.fetchOne(db, sql: sql).map { row in keys.indices.map { Self.value(row[$0] as DatabaseValue, keys[$0].type) } }
            }
        }
    }

    public func transferCount(_ kind: TransferKind) throws -> Int {
        let (pool, path) = pool(kind)
        return try StoreFailure.guarding(path) {
            try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(kind.table)" + (kind.condition.map { " WHERE " + $0 } ?? "")) ?? 0
            }
        }
    }

    /// AUTOINCREMENT already goes on from the largest id ever inserted, copied ones included.
    public func finishTransfer() throws {}

    /// A stored value as its column's type reads it (SQLite keeps a whole REAL as an integer on disk).
    static func value(_ stored: DatabaseValue, _ type: TransferColumnType) -> TransferValue {
        switch stored.storage {
        case .null: .null
        case let .int64(number): type == .real ? .real(Double(number)) : .integer(number)
        case let .double(number): type == .real ? .real(number) : Int64(exactly: number).map { .integer($0) } ?? .real(number)
        case let .string(text): .text(text)
        case let .blob(data): .bytes([UInt8](data))
        }
    }

    static func databaseValue(_ value: TransferValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case let .integer(number): number.databaseValue
        case let .real(number): number.databaseValue
        case let .text(text): text.databaseValue
        case let .bytes(bytes): Data(bytes).databaseValue
        }
    }
}
