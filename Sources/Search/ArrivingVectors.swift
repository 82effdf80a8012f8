import Foundation

/// Vectors read after the rest of a saved engine: they are its largest single part, and a search by words needs
/// none of them (at 1M they arrive about a second after the first answer). Until they arrive, searches go by words
/// alone and each photo's vector change is kept, in order, to be applied on arrival.
struct ArrivingVectors {
    /// The models the saved engine has vectors of.
    let models: [String]
    /// Photo numbers the saved engine spans: every saved row belongs to one below it.
    let photos: Int
    /// Each change since the load: a photo's vectors by model, or nil where it was taken out.
    var changes: [(photo: Int, vectors: [String: [Float]]?)] = []
}

/// Whether the vectors have arrived: a save waits for them, since a file saved without them would lose them.
final class VectorArrival: @unchecked Sendable {
    enum State { case arriving, arrived, failed(String) }
    private let condition = NSCondition()
    private var state = State.arrived

    init(_ state: State) { self.state = state }

    func settle(_ state: State) {
        condition.withLock { self.state = state }
        condition.broadcast()
    }

    /// Why the vectors are not in place; nil once they are.
    var missing: String? {
        switch condition.withLock({ state }) {
        case .arriving: "the library's vectors are still being read"
        case .arrived: nil
        case .failed: "the library's vectors could not be read; the catalogue is read again for them"
        }
    }

    /// Waits while they are arriving; throws when they never will.
    func wait() throws {
        let settled = condition.withLock {
            while case .arriving = state { condition.wait() }
            return state
        }
        if case .failed(let reason) = settled { throw SnapshotError(description: "the engine's vectors were not read (\(reason))") }
    }
}

extension SearchEngine {
    /// Sets photo `photo`'s vectors, none where `photoVectors` has no vector of a model (every model gets a row for
    /// every photo number); kept for later while the vectors are still arriving.
    func assignVectors(_ photoVectors: [String: [Float]], to photo: Int) {
        if arriving != nil { return arriving!.changes.append((photo, photoVectors)) }
        guard !vectorsLost else { return }
        for model in vectors.keys where photoVectors[model] == nil { vectors[model]!.assign(nil, to: photo) }
        for (model, vector) in photoVectors {
            if vectors[model] == nil {
                // The first vector of a model sets its dimensions; row 0 is some other photo's.
                vectors[model] = VectorIndex(model: model, vectors: [vector])
                vectors[model]!.assign(nil, to: 0)
            }
            vectors[model]!.assign(vector, to: photo)
        }
    }

    /// Takes photo `photo`'s vectors out of every model.
    func removeVectors(of photo: Int) {
        if arriving != nil { return arriving!.changes.append((photo, nil)) }
        guard !vectorsLost else { return }
        for model in vectors.keys { vectors[model]!.assign(nil, to: photo) }
    }

    /// Reads the vectors a load left for later (`SearchEngine(withoutVectors:)`), then puts them in place and
    /// applies the changes made meanwhile. Searches go on while they are read. When they cannot be read the engine
    /// goes on without any (changes no longer kept for them) and refuses to be saved: the caller reads the
    /// catalogue afresh. One call per load: a save waits for it.
    public func readVectors(_ file: inout SnapshotReader) throws {
        guard let waiting = lock.read({ arriving }) else { return }
        do {
            let loaded = try Self.vectors(&file, models: waiting.models, photos: waiting.photos)
            let placed = lock.write { () -> Bool in
                guard let changes = arriving?.changes else { return false }
                arriving = nil
                vectors = Dictionary(loaded.map { ($0.model, $0) }) { first, _ in first }
                for change in changes {
                    if let photoVectors = change.vectors { assignVectors(photoVectors, to: change.photo) } else { removeVectors(of: change.photo) }
                }
                return true
            }
            if placed { arrival.settle(.arrived) }
        } catch {
            lock.write {
                arriving = nil
                vectorsLost = true
            }
            arrival.settle(.failed("\(error)"))
            throw error
        }
    }

    /// Why meaning cannot be searched now: the vectors are still being read, or could not be; nil once in place.
    public var vectorsMissing: String? { arrival.missing }

    /// Waits for vectors still arriving; false when they could not be read (the engine must not be saved then).
    public func awaitVectors() -> Bool { (try? arrival.wait()) != nil }
}
