import Catalogue
import ViewfinderCore

/// Photos that are the same picture: the same bytes at several paths (`exact`), or pictures that look alike
/// (`near`: resized, re-encoded, slightly cropped). The best one comes first; nothing here deletes anything.
public struct DuplicateGroup: Sendable {
    public enum Kind: String, Sendable, Encodable { case exact, near }

    public struct Member: Sendable {
        public var photo: PhotoRecord
        /// Bits by which its perceptual hash differs from the best member's (0 for the best, and for exact copies).
        public var distance: Int
    }

    public var kind: Kind
    /// Best first.
    public var members: [Member]
}

public enum DuplicateGroups {
    /// Two photos whose perceptual hashes differ in at most this many of 64 bits look alike. On the corpus's
    /// 54 content and people photos every re-encoded or halved copy is within 4 bits of its original and 52 of 54
    /// copies cropped by 5% within 12, while no two different photos are closer than 18 (docs/ARCHITECTURE.md,
    /// "Near-duplicates").
    public static let nearDistance = 12

    /// Exact groups (one content at several paths), then near groups (one member per content: its best path),
    /// each kind ordered by its best member's path. Photos without a perceptual hash are in exact groups only.
    public static func find(_ photos: [PhotoRecord], within distance: Int = nearDistance) -> [DuplicateGroup] {
        let contents = Dictionary(grouping: photos, by: \.contentHash).values.map { $0.sorted(by: PhotoPreference.better) }
        let exact = contents.filter { $0.count > 1 }.map { copies in
            DuplicateGroup(kind: .exact, members: copies.map { .init(photo: $0, distance: 0) })
        }
        return exact.sorted(by: byBestPath) + near(contents.map { $0[0] }, within: distance).sorted(by: byBestPath)
    }

    /// Each photo joins the best photo within `distance` of it that is not in a group yet, so a group never
    /// chains: every member is within `distance` of its best, and two members within twice that of each other.
    static func near(_ photos: [PhotoRecord], within distance: Int) -> [DuplicateGroup] {
        // A video's poster looks like the still beside it (a Live Photo's pair): that is a stack, not a copy.
        let stills = photos.filter { !(MediaFormat(rawValue: $0.format)?.isVideo ?? false) }
        let hashed = stills.compactMap { photo in photo.looks.map { (photo, $0) } }.sorted { PhotoPreference.better($0.0, $1.0) }
        var neighbours = [[(index: Int, distance: Int)]](repeating: [], count: hashed.count)
        for pair in HashNeighbours(hashed.map(\.1)).pairs(within: distance) {
            neighbours[pair.first].append((pair.second, pair.distance))
            neighbours[pair.second].append((pair.first, pair.distance))
        }
        var grouped = [Bool](repeating: false, count: hashed.count)
        var groups = [DuplicateGroup]()
        for best in hashed.indices where !grouped[best] {
            // Only worse photos join: a better one not yet grouped has no photo near it left to lead.
            let joining = neighbours[best].filter { !grouped[$0.index] && $0.index > best }.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
            guard !joining.isEmpty else { continue }
            grouped[best] = true
            for member in joining { grouped[member.index] = true }
            groups.append(DuplicateGroup(kind: .near, members: [.init(photo: hashed[best].0, distance: 0)]
                                         + joining.map { .init(photo: hashed[$0.index].0, distance: $0.distance) }))
        }
        return groups
    }

    private static func byBestPath(_ a: DuplicateGroup, _ b: DuplicateGroup) -> Bool {
        a.members[0].photo.path.utf8.lexicographicallyPrecedes(b.members[0].photo.path.utf8)
    }
}
