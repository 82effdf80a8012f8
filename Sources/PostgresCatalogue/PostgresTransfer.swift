import Catalogue
import NIOCore
import PostgresNIO

/// A PostgreSQL catalogue and its renditions, row by row, for copying to or from another store.
public struct PostgresTransfer: CatalogueTransfer {
    let store: PostgresStore

    public init(_ store: PostgresStore) { self.store = store }

    /// A key column as sorted: text byte by byte, as SQLite compares it, so both stores read rows in one order.
    private static func sortable(_ column: TransferColumn) -> String {
        column.type == .text ? column.name + " COLLATE \"C\"" : column.name
    }

    public func transferRows(_ kind: TransferKind, after: [TransferValue]?, limit: Int) throws -> [TransferRow] {
        let keys = kind.columns.prefix(kind.keyCount).map(Self.sortable)
        var conditions = kind.condition.map { [$0] } ?? []
        var binds = PostgresBindings()
        if let after {
            let placeholders = after.indices.map { "$\($0 + 1)" + Self.cast(kind.columns[$0].type) }
            conditions.append("(\(keys.joined(separator: ", "))) > (\(placeholders.joined(separator: ", ")))")
            // A row comparison with a collation is no index range; a leading number column still gives one.
            if kind.columns[0].type != .text { conditions.append("\(kind.columns[0].name) >= \(placeholders[0])") }
            for (value, column) in zip(after, kind.columns) { Self.bind(value, column.type, &binds) }
        }
        binds.append(Int64(limit))
        let sql = """
            SELECT \(kind.columns.map(\.name).joined(separator: ", ")) FROM \(kind.table)
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(keys.joined(separator: ", ")) LIMIT $\(binds.count)
            """
        let columns = kind.columns
        return try store.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
            let cells = row.makeRandomAccess()
            return TransferRow(cells: try columns.indices.map { try Self.value(cells[$0], columns[$0].type) })
        }
    }

    public func insertTransferRows(_ kind: TransferKind, _ rows: [TransferRow]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let columns = kind.columns
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var tuples = [String]()
        for row in rows {
            let first = binds.count
            tuples.append("(" + columns.indices.map { "$\(first + $0 + 1)" + Self.cast(columns[$0].type) }.joined(separator: ", ") + ")")
            for (value, column) in zip(row.cells, columns) { Self.bind(value, column.type, &binds) }
        }
        // Only a row whose key (or other unique column) is already there is skipped.
        let sql = """
            INSERT INTO \(kind.table) (\(columns.map(\.name).joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))
            ON CONFLICT DO NOTHING
            """
        return try store.write { c in try store.link.run(PostgresQuery(unsafeSQL: sql, binds: binds), on: c).changed }
    }

    public func lastTransferKey(_ kind: TransferKind) throws -> [TransferValue]? {
        let keys = Array(kind.columns.prefix(kind.keyCount))
        let sql = """
            SELECT \(keys.map(\.name).joined(separator: ", ")) FROM \(kind.table) \(kind.condition.map { "WHERE " + $0 } ?? "")
            ORDER BY \(keys.map { Self.sortable($0) + " DESC" }.joined(separator: ", ")) LIMIT 1
            """
        return try store.rows(PostgresQuery(unsafeSQL: sql)).first.map { row in
            let cells = row.makeRandomAccess()
            return try keys.indices.map { try Self.value(cells[$0], keys[$0].type) }
        }
    }

    public func transferCount(_ kind: TransferKind) throws -> Int {
        let sql = "SELECT count(*) FROM \(kind.table)" + (kind.condition.map { " WHERE " + $0 } ?? "")
        return try store.rows(PostgresQuery(unsafeSQL: sql)).first.map { try $0.decode(Int.self) } ?? 0
    }

    /// Copied rows kept their ids: the id sequences go on after the largest, or the next new photo would collide.
    public func finishTransfer() throws {
        try store.write { c in
            for table in ["photo", "job", "problem", "person"] {
                try store.link.run(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), max(id)) FROM \(table) HAVING count(*) > 0
                    """), on: c)
            }
        }
    }

    private static func cast(_ type: TransferColumnType) -> String {
        switch type {
        case .integer: "::bigint"
        case .boolean: "::boolean"
        case .real: "::double precision"
        case .text: "::text"
        case .bytes: "::bytea"
        }
    }

    private static func bind(_ value: TransferValue, _ type: TransferColumnType, _ binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case let .integer(number): type == .boolean ? binds.append(number != 0) : binds.append(number)
        case let .real(number): binds.append(number)
        case let .text(text): binds.append(text)
        case let .bytes(bytes): binds.append(ByteBuffer(bytes: bytes))
        }
    }

    private static func value(_ cell: PostgresCell, _ type: TransferColumnType) throws -> TransferValue {
        guard cell.bytes != nil else { return .null }
        switch type {
        case .integer: return .integer(try cell.decode(Int64.self, context: .default))
        case .boolean: return .integer(try cell.decode(Bool.self, context: .default) ? 1 : 0)
        case .real: return .real(try cell.decode(Double.self, context: .default))
        case .text: return .text(try cell.decode(String.self, context: .default))
        case .bytes: return .bytes(Array(try cell.decode(ByteBuffer.self, context: .default).readableBytesView))
        }
    }
}
