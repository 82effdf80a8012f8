import Foundation
import Logging
import Search
import Catalogue

/// The library the server answers from: the stores, and the current in-memory snapshot, kept current by applying
/// the catalogue's changes as they come (a photo at a time, nothing rebuilt) and saved to the data folder, so the
/// next start loads it instead of reading the whole catalogue.
public final class LiveLibrary: @unchecked Sendable {
    public let store: PhotoStore
    public let renditions: RenditionStore
    public let indexing = IndexingStatus()
    /// `/api/duplicates`' last answer, kept until a change is applied.
    let duplicates = DuplicateCache()
    let meaning: QueryMeaning?
    /// Folders the library's photos live in, besides those already catalogued: paths are shown relative to them.
    let roots: [String]
    /// Where the snapshot is saved; nil keeps it in memory only.
    let savedAt: String?
    private let lock = NSLock()
    /// One catch-up, rebuild or save at a time.
    private let changing = NSLock()
    private var current: LibrarySnapshot
    private var mark: ChangeMark
    private var counts = Counts()
    private var refreshing = false
    private var nextRefresh = Date.distantPast

    /// What keeping the snapshot current has cost: whole reads of the catalogue, photos applied one by one, saves.
    public struct Counts: Sendable, Equatable {
        public var rebuilds = 0
        public var applied = 0
        public var saves = 0
        /// Changes applied since the last save.
        public var unsaved = 0
        /// Saved vectors that failed their check after the rest had loaded (the catalogue is then read afresh).
        public var vectorFailures = 0
    }

    /// - Parameters:
    ///   - meaning: embeds query words for semantic search; nil serves words only.
    ///   - savedAt: the saved snapshot to start from (when it is whole and of this catalogue) and to save to.
    ///   - keepsSaved: false reads a saved snapshot but never writes one (a one-off search).
    public init(store: PhotoStore, renditions: RenditionStore, meaning: QueryMeaning? = nil, roots: [String] = [],
                savedAt: String? = nil, keepsSaved: Bool = true, logger: Logger = Logger(label: "viewfinder.library")) throws {
        self.store = store
        self.renditions = renditions
        self.meaning = meaning
        self.roots = roots
        self.savedAt = keepsSaved ? savedAt : nil
        let started = Date()
        var vectorsLeft: SnapshotReader?
        var loadedEngine: SearchEngine?
        if let savedAt, FileManager.default.fileExists(atPath: savedAt) {
            do {
                // A server answers by words while the vectors are read; a one-off search waits for them.
                (current, mark, vectorsLeft) = try SavedLibrary.load(savedAt, catalogue: try store.changeMark().catalogue, vectorsLater: keepsSaved)
                loadedEngine = current.engine
                logger.info("search snapshot loaded", metadata: ["photos": "\(current.photos.count)",
                                                                 "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))"])
            } catch {
                logger.warning("the saved search engine cannot be used; reading the catalogue", metadata: ["reason": "\(error)"])
                (current, mark) = try Self.read(store, roots: roots)
                // The refused file is replaced at the next save, not read (and refused) at every start.
                counts.rebuilds = 1
                counts.unsaved = 1
            }
        } else {
            (current, mark) = try Self.read(store, roots: roots)
            counts.rebuilds = 1
            logger.info("catalogue read", metadata: ["photos": "\(current.photos.count)",
                                                     "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))"])
        }
        do { try catchUp() } catch {
            vectorsLeft?.close()
            throw error
        }
        if var file = vectorsLeft {
            // A catch-up that had to read the catalogue left the loaded engine behind: its vectors are not wanted.
            if current.engine === loadedEngine { readVectors(file, of: current.engine, logger: logger) } else { file.close() }
        }
    }

    /// Reads the saved vectors on a thread of their own, the file closed after; when they cannot be read, the
    /// catalogue is read afresh (the engine without them is never saved; a save reads it again if this read fails).
    private func readVectors(_ file: SnapshotReader, of engine: SearchEngine, logger: Logger) {
        let started = Date()
        Thread.detachNewThread { [self] in
            var file = file
            defer { file.close() }
            do {
                try engine.readVectors(&file)
                logger.info("search snapshot's vectors loaded", metadata: ["seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))"])
            } catch {
                logger.warning("the saved vectors cannot be used; reading the catalogue", metadata: ["reason": "\(error)"])
                lock.withLock { counts.vectorFailures += 1 }
                // Not when a rebuild (or a save that found them lost) has already put another engine in its place.
                do { try reload(replacing: engine) } catch { logger.error("cannot read the catalogue", metadata: ["error": "\(error)"]) }
            }
        }
    }

    /// A library over a ready snapshot (benchmarks serve the shared workload this way).
    public init(snapshot: LibrarySnapshot, store: PhotoStore, renditions: RenditionStore, meaning: QueryMeaning? = nil) {
        self.store = store
        self.renditions = renditions
        self.meaning = meaning
        roots = []
        savedAt = nil
        current = snapshot
        mark = ChangeMark(catalogue: "", seq: Int64.max)
    }

    public var snapshot: LibrarySnapshot { lock.withLock { current } }

    public var costs: Counts { lock.withLock { counts } }

    /// The snapshot and the change it reflects, taken together: what is derived from the one is kept by the other.
    var applied: (snapshot: LibrarySnapshot, mark: ChangeMark) { lock.withLock { (current, mark) } }

    /// The whole catalogue, read at a change mark taken first: changes made while reading are applied again later,
    /// which leaves them as they are.
    private static func read(_ store: PhotoStore, roots: [String]) throws -> (LibrarySnapshot, ChangeMark) {
        let mark = try store.changeMark()
        return (try LibrarySnapshot(store, roots: roots), mark)
    }

    /// Reads the whole catalogue afresh; requests keep the old snapshot until the new one is whole.
    /// - Parameter engine: read only while this engine is still the one answering (two callers that found it
    ///   wanting read once).
    public func reload(replacing engine: SearchEngine? = nil) throws {
        try changing.withLock {
            if let engine, lock.withLock({ current.engine }) !== engine { return }
            let (fresh, freshMark) = try Self.read(store, roots: roots)
            lock.withLock {
                current = fresh
                mark = freshMark
                counts.rebuilds += 1
                counts.unsaved += 1
            }
        }
    }

    /// Applies the catalogue's changes since the last one applied; returns how many photos changed. Rebuilds only
    /// when it must: the change log was pruned past this snapshot, or a photo lies outside the folder every path
    /// is shown relative to.
    @discardableResult
    public func catchUp() throws -> Int {
        var changed = 0
        var mustRebuild = false
        try changing.withLock {
            while true {
                let (seq, root, catalogue) = lock.withLock { (mark.seq, current.root, mark.catalogue) }
                // A snapshot made from documents alone (the benchmarks') follows no catalogue.
                guard !catalogue.isEmpty else { return }
                guard let batch = try store.changes(after: seq, limit: 5_000) else { mustRebuild = true; return }
                guard !batch.photoIDs.isEmpty || batch.through != seq else { return }
                let photos = try store.searchablePhotos(ids: batch.photoIDs)
                // No root yet (an empty catalogue and no folders given): the first photos decide it.
                guard photos.allSatisfy({ $0.photo.path.hasPrefix(root) }), !root.isEmpty || photos.isEmpty else {
                    mustRebuild = true
                    return
                }
                let people = try store.people(inPhotos: photos.compactMap(\.photo.id))
                let updates = SearchLibrary.updates(photos, people: people, removing: batch.photoIDs, root: root)
                // A few hundred at a time: searches wait for each piece, not for the whole batch.
                for start in stride(from: 0, to: updates.count, by: 256) {
                    current.engine.apply(Array(updates[start..<min(start + 256, updates.count)]))
                }
                var next = lock.withLock { current }
                next.apply(photos, removing: batch.photoIDs)
                lock.withLock {
                    current = next
                    mark.seq = batch.through
                    counts.applied += batch.photoIDs.count
                    counts.unsaved += batch.photoIDs.count
                }
                changed += batch.photoIDs.count
            }
        }
        if mustRebuild { try reload() }
        return changed
    }

    /// Saves the snapshot when something changed since the last save, and lets the change log go up to it. When
    /// changes have fragmented the engine (`SearchEngine.isFragmented`), the catalogue is read whole first, so
    /// neither the saved file nor memory keeps growing; callers save after indexing, not during it.
    public func save() throws {
        guard let savedAt, isUnsaved(at: savedAt) else { return }
        // Vectors still arriving are waited for here, not while holding `changing` (catch-ups from requests and
        // indexing go on meanwhile); an engine whose vectors could not be read is replaced, never saved.
        let engine = snapshot.engine
        if !engine.awaitVectors() || engine.isFragmented { try reload(replacing: engine) }
        try changing.withLock {
            // Again under the lock: another save may have come first.
            guard isUnsaved(at: savedAt) else { return }
            let (snapshot, mark) = lock.withLock { (current, self.mark) }
            try SavedLibrary.save(snapshot, mark: mark, to: savedAt)
            lock.withLock {
                counts.saves += 1
                counts.unsaved = 0
            }
            try store.forgetChanges(through: mark.seq - 1)
        }
    }

    /// Whether a save has something to write: changes since the last, or no file yet.
    private func isUnsaved(at savedAt: String) -> Bool {
        lock.withLock { counts.unsaved } > 0 || !FileManager.default.fileExists(atPath: savedAt)
    }

    /// During indexing: the new changes applied in the background, at most once a second (each copies the page
    /// entries once), never two at once.
    func refreshSoon(logger: Logger) {
        let due = lock.withLock {
            guard !refreshing, Date() >= nextRefresh else { return false }
            refreshing = true
            nextRefresh = Date().addingTimeInterval(1)
            return true
        }
        guard due else { return }
        DispatchQueue.global().async { [self] in
            do { try catchUp() } catch { logger.error("cannot follow the catalogue", metadata: ["error": "\(error)"]) }
            lock.withLock { refreshing = false }
        }
    }

    /// Saves at once when there is no save yet (a start that had to read the catalogue answers first), then follows
    /// changes other processes make (`viewfinder index` beside the server): a look every `seconds`, and a save once
    /// things have been quiet for a while.
    public func follow(every seconds: Double = 2, logger: Logger) {
        let signal = store as? ChangeSignal
        let thread = Thread { [self] in
            do { try save() } catch { logger.error("cannot save the search snapshot", metadata: ["error": "\(error)"]) }
            var quietSince = Date()
            while true {
                // A store that announces its changes wakes this at once; the others are asked every few seconds.
                if let signal { signal.waitForChange(upTo: seconds) } else { Thread.sleep(forTimeInterval: seconds) }
                do {
                    if try catchUp() > 0 { quietSince = Date() }
                    // Not while this server indexes: a long scan is quiet too, and a save may read the catalogue whole.
                    if Date().timeIntervalSince(quietSince) >= 30 && !indexing.current.running {
                        try save()
                        quietSince = Date()
                    }
                } catch {
                    logger.error("cannot follow the catalogue", metadata: ["error": "\(error)"])
                    Thread.sleep(forTimeInterval: seconds)
                }
            }
        }
        thread.name = "library-follow"
        thread.start()
    }
}
