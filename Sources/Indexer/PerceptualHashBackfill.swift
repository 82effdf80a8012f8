import Catalogue
import Media
import ViewfinderCore

/// Photos indexed before perceptual hashes were kept get theirs from their stored thumbnail (no original is read),
/// at the end of every run, a batch at a time: a pass that is interrupted carries on at the next run.
enum PerceptualHashBackfill {
    static let batch = 500

    /// Returns how many contents got a hash.
    static func run(_ store: PhotoStore, renditions: RenditionStore) throws -> Int {
        var after = "", filled = 0
        while true {
            let contents = try store.contentsWithoutPerceptualHash(after: after, limit: batch)
            guard let last = contents.last else { return filled }
            var hashes = [String: PerceptualHash]()
            for content in contents {
                // A thumbnail that is gone or unreadable is left for the photo's next index.
                guard let webp = try renditions.get(hash: content, kind: .thumbnail),
                      let hash = try? PerceptualHash(thumbnail: webp) else { continue }
                hashes[content] = hash
            }
            try store.setPerceptualHashes(hashes)
            filled += hashes.count
            after = last
        }
    }
}
