import Foundation
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

    /// - Parameter meaning: embeds query words for semantic search; nil serves words only.
    public init(store: PhotoStore, renditions: RenditionStore, meaning: QueryMeaning? = nil) throws {
        self.store = store
        self.renditions = renditions
        self.meaning = meaning
        current = try LibrarySnapshot(store)
    }

    /// A library over a ready snapshot (benchmarks serve the shared workload this way).
    public init(snapshot: LibrarySnapshot, store: PhotoStore, renditions: RenditionStore) {
        self.store = store
        self.renditions = renditions
        meaning = nil
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
}
