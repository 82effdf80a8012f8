import Catalogue
import NIOCore
import PostgresNIO

/// Thumbnails and previews as `bytea` in the catalogue's database, so every server on every machine has them.
public final class PostgresRenditionStore: RenditionStore, @unchecked Sendable {
    let store: PostgresStore

    /// Shares the catalogue's connections (its migrations made the table).
    public init(_ store: PostgresStore) { self.store = store }

    public func put(_ bytes: [UInt8], hash: String, kind: RenditionKind) throws {
        try store.write { c in
            try store.link.run("""
                INSERT INTO rendition (contentHash, kind, bytes) VALUES (\(hash), \(kind.rawValue), \(ByteBuffer(bytes: bytes)))
                ON CONFLICT (contentHash, kind) DO UPDATE SET bytes = EXCLUDED.bytes
                """, on: c)
        }
    }

    public func get(hash: String, kind: RenditionKind) throws -> [UInt8]? {
        try store.rows("SELECT bytes FROM rendition WHERE contentHash = \(hash) AND kind = \(kind.rawValue)")
            .first.map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
    }

    public func contains(hash: String, kind: RenditionKind) throws -> Bool {
        try !store.rows("SELECT 1 FROM rendition WHERE contentHash = \(hash) AND kind = \(kind.rawValue)").isEmpty
    }

    public func remove(hashes: [String]) throws {
        guard !hashes.isEmpty else { return }
        try store.write { c in try store.link.run("DELETE FROM rendition WHERE contentHash = ANY(\(hashes))", on: c) }
    }
}
