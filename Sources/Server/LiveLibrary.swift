import Foundation
import Logging
import Store

/// The library the server answers from: the stores, and the current in-memory snapshot, swapped whole when
/// indexing has changed the catalogue.
public final class LiveLibrary: @unchecked Sendable {
    public let store: PhotoStore
    public let renditions: RenditionStore
    public let indexing = IndexingStatus()
    let meaning: QueryMeaning?
    private let lock = NSLock()
    private let reloading = NSLock()
    private var current: LibrarySnapshot
    private var refreshing = false
    private var nextRefresh = Date.distantPast
    /// A long run shows its photos this often at most; rebuilding 100,000 photos takes about 3 s.
    let refreshSeconds = 5.0

    /// - Parameter meaning: embeds query words for semantic search; nil serves words only.
    public init(store: PhotoStore, renditions: RenditionStore, meaning: QueryMeaning? = nil) throws {
        self.store = store
        self.renditions = renditions
        self.meaning = meaning
        current = try LibrarySnapshot(store)
    }

    /// A library over a ready snapshot (benchmarks serve the shared workload this way).
    public init(snapshot: LibrarySnapshot, store: PhotoStore, renditions: RenditionStore, meaning: QueryMeaning? = nil) {
        self.store = store
        self.renditions = renditions
        self.meaning = meaning
        current = snapshot
    }

    public var snapshot: LibrarySnapshot { lock.withLock { current } }

    /// Reads the catalogue afresh; requests keep the old snapshot until the new one is whole.
    public func reload() throws {
        try reloading.withLock {
            let fresh = try LibrarySnapshot(store)
            lock.withLock { current = fresh }
        }
    }

    /// During indexing: a reload in the background when one is due, spending at most a fifth of the time
    /// rebuilding however large the library, and never two at once.
    func refreshSoon(logger: Logger) {
        let due = lock.withLock {
            guard !refreshing, Date() >= nextRefresh else { return false }
            refreshing = true
            return true
        }
        guard due else { return }
        DispatchQueue.global().async { [self] in
            let started = Date()
            do { try reload() } catch { logger.error("cannot refresh the library", metadata: ["error": "\(error)"]) }
            let took = Date().timeIntervalSince(started)
            lock.withLock {
                refreshing = false
                nextRefresh = Date().addingTimeInterval(max(refreshSeconds, 4 * took))
            }
        }
    }
}
