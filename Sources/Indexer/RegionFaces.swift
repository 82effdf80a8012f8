import ViewfinderCore
import Vision

/// Which detected face a named region (written by another program) names: the pairs whose boxes overlap most,
/// each face and each region used once, so names read from files can seed people.
public enum RegionFaces {
    /// Intersection over union below which a region and a face are different faces.
    public static let minimumOverlap = 0.3

    /// For each face, the name of the region over it (nil for none); and the regions over no detected face.
    public static func match(_ regions: [NamedRegion], to faces: [PhotoDescription.Face])
        -> (names: [String?], unmatched: [NamedRegion]) {
        var pairs = [(overlap: Double, region: Int, face: Int)]()
        for (r, region) in regions.enumerated() {
            for (f, face) in faces.enumerated() {
                let shared = overlap(region, face)
                if shared >= minimumOverlap { pairs.append((shared, r, f)) }
            }
        }
        var names = [String?](repeating: nil, count: faces.count)
        var used = Set<Int>()
        for pair in pairs.sorted(by: { $0.overlap > $1.overlap }) where names[pair.face] == nil && !used.contains(pair.region) {
            names[pair.face] = regions[pair.region].name
            used.insert(pair.region)
        }
        return (names, regions.indices.filter { !used.contains($0) }.map { regions[$0] })
    }

    /// Intersection over union of two boxes in fractions of the upright photo.
    static func overlap(_ region: NamedRegion, _ face: PhotoDescription.Face) -> Double {
        let width = min(region.x + region.w, face.x + face.w) - max(region.x, face.x)
        let height = min(region.y + region.h, face.y + face.h) - max(region.y, face.y)
        guard width > 0, height > 0 else { return 0 }
        let shared = width * height
        return shared / (region.w * region.h + face.w * face.h - shared)
    }
}
