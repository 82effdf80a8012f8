import Catalogue
import NIOCore
import PostgresNIO

extension PostgresStore {
    public func storeSession(key: String, value: [UInt8], expires: Double?, onlyIfNew: Bool, now: Double) throws -> Bool {
        try write { c in
            try link.run("DELETE FROM session WHERE expires < \(now)", on: c)
            let conflict = onlyIfNew ? "DO NOTHING" : "DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires"
            return try link.run("""
                INSERT INTO session (key, value, expires) VALUES (\(key), \(ByteBuffer(bytes: value)), \(expires))
                ON CONFLICT (key) \(unescaped: conflict)
                """, on: c).changed == 1
        }
    }

    public func session(key: String, now: Double) throws -> (value: [UInt8], expires: Double?)? {
        try rows("SELECT value, expires FROM session WHERE key = \(key) AND (expires IS NULL OR expires >= \(now))").first.map {
            let (value, expires) = try $0.decode((ByteBuffer, Double?).self)
            return (Array(value.readableBytesView), expires)
        }
    }

    public func removeSession(key: String) throws {
        try write { c in try link.run("DELETE FROM session WHERE key = \(key)", on: c) }
    }
}
