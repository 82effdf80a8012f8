import Catalogue
import Foundation

/// Clusters every face a catalogue has not looked at yet, a batch at a time, each batch decided and applied in
/// one transaction. Run after descriptions are committed; safe to run anywhere at any time (a face is given to
/// someone only while it is still nobody's).
///
/// Keeps the known faces (people and loose faces) between batches and passes, read once and then followed from
/// each outcome it applied, so a batch reads about itself from the store; it reads them again whenever the store's
/// people mark shows a change that was not its own (a hand move, a merge, another process clustering).
public final class ClusteringPass: @unchecked Sendable {
    /// Faces per batch: the batch is compared with itself, so this bounds the quadratic part.
    public static let batchSize = 1_000

    private let lock = NSLock()
    private var known: KnownFaces?
    private var mark: Int64 = 0
    /// Faces read from the store: the batches, and the known faces each time they were read whole.
    public private(set) var facesRead = 0
    /// How many times the known faces were read whole.
    public private(set) var loads = 0

    public init() {}

    /// Returns how many faces were looked at and how many people were formed.
    @discardableResult
    public func run(_ store: PeopleCatalogue, clustering: FaceClustering = FaceClustering()) throws -> (faces: Int, people: Int) {
        lock.lock()
        defer { lock.unlock() }
        var clustering = clustering
        var faces = 0, people = 0
        while true {
            // The mark is read before the batch and the known faces: a change made after it, to a face of the batch
            // too, moves the mark, and the apply says so.
            let current = try store.peopleMark()
            let batch = try store.facesToCluster(limit: Self.batchSize)
            guard !batch.isEmpty else { return (faces, people) }
            facesRead += batch.count
            if current != mark || known?.minQuality != clustering.minQuality { known = nil }
            var knowing = try known ?? load(store, minQuality: clustering.minQuality, mark: current)
            let photos = Array(Set(batch.map(\.key.photoID))).sorted()
            let occupied = try store.people(inPhotos: photos).mapValues { Set($0.map(\.id)) }
            let outcome = clustering.cluster(batch: batch, against: &knowing, occupied: occupied)
            let applied = try store.apply(outcome, over: mark)
            if applied.current {
                knowing.record(outcome, batch: batch, formed: applied.formed)
                (known, mark) = (knowing, applied.mark)
            } else {
                known = nil
            }
            people += applied.formed.count
            faces += batch.count
        }
    }

    private func load(_ store: PeopleCatalogue, minQuality: Double, mark current: Int64) throws -> KnownFaces {
        let representatives = try store.representativeFaces(), loose = try store.looseFaces(minQuality: minQuality)
        facesRead += representatives.count + loose.count
        loads += 1
        mark = current
        return KnownFaces(representatives: representatives, loose: loose, minQuality: minQuality)
    }
}
