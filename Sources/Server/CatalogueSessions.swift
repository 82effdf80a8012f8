import Catalogue
import Foundation
import Hummingbird

/// Hummingbird's session storage in the catalogue: a restart signs nobody out, and every server of a shared
/// catalogue knows every session.
struct CatalogueSessions: PersistDriver {
    let store: SessionStore

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard try await put(key, value, expires, onlyIfNew: true) else { throw PersistError.duplicate }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        _ = try await put(key, value, expires, onlyIfNew: false)
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        let now = Date().timeIntervalSince1970
        guard let found = try await BlockingWork.run({ [store] in try store.session(key: key, now: now) }) else { return nil }
        return try JSONDecoder().decode(Object.self, from: Data(found.value))
    }

    func remove(key: String) async throws {
        try await BlockingWork.run { [store] in try store.removeSession(key: key) }
    }

    private func put<Object: Codable & Sendable>(_ key: String, _ value: Object, _ expires: Duration?, onlyIfNew: Bool) async throws -> Bool {
        let bytes = [UInt8](try JSONEncoder().encode(value))
        let now = Date().timeIntervalSince1970
        let until = expires.map { now + Double($0.components.seconds) }
        return try await BlockingWork.run { [store] in
            try store.storeSession(key: key, value: bytes, expires: until, onlyIfNew: onlyIfNew, now: now)
        }
    }
}
