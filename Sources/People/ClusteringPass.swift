import Catalogue

/// Clusters every face a catalogue has not looked at yet, a batch at a time, each batch decided and applied in
/// one transaction. Run after descriptions are committed; safe to run anywhere at any time (a face is given to
/// someone only while it is still nobody's).
public enum ClusteringPass {
    /// Faces per batch: the batch is compared with itself, so this bounds the quadratic part.
    public static let batchSize = 1_000

    /// Returns how many faces were looked at and how many people were formed.
    @discardableResult
    public static func run(_ store: PeopleCatalogue, clustering: FaceClustering = FaceClustering()) throws
        -> (faces: Int, people: Int) {
        var clustering = clustering
        var faces = 0, people = 0
        while true {
            let batch = try store.facesToCluster(limit: batchSize)
            guard !batch.isEmpty else { return (faces, people) }
            let photos = Array(Set(batch.map(\.key.photoID))).sorted()
            let occupied = try store.people(inPhotos: photos).mapValues { Set($0.map(\.id)) }
            let outcome = clustering.cluster(batch: batch, representatives: try store.representativeFaces(),
                                             loose: try store.looseFaces(minQuality: clustering.minQuality), occupied: occupied)
            people += try store.apply(outcome).count
            faces += batch.count
        }
    }
}
