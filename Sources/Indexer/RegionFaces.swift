import Catalogue
import Foundation
import ViewfinderCore

/// Which detected face a named region (written by another program) names: the pairs whose boxes overlap most,
/// each face and each region used once, so names read from files can seed people.
public enum RegionFaces {
    /// Intersection over union below which a region and a face are different faces.
    public static let minimumOverlap = 0.3

    /// For each face, the name of the region over it (nil for none); and the regions over no detected face.
    public static func match(_ regions: [NamedRegion], to faces: [FaceRecord]) -> (names: [String?], unmatched: [NamedRegion]) {
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
    static func overlap(_ region: NamedRegion, _ face: FaceRecord) -> Double {
        let width = min(region.x + region.w, face.x + face.w) - max(region.x, face.x)
        let height = min(region.y + region.h, face.y + face.h) - max(region.y, face.y)
        guard width > 0, height > 0 else { return 0 }
        let shared = width * height
        return shared / (region.w * region.h + face.w * face.h - shared)
    }

    /// Names people from the regions of these photos, after clustering: a named region over a face names that
    /// face's unnamed person (or joins it to the person already called so); a face of nobody becomes that person's,
    /// or a new person of that name. A person named in Viewfinder keeps its name, and faces moved by hand stay.
    public static func seedPeople(photos: [Int64], in store: PhotoStore) throws {
        var named: [String: Int64]?  // read once, the first time a photo has regions
        for photoID in photos {
            guard let regions = try store.photo(id: photoID)?.metadata.regions, !regions.isEmpty else { continue }
            if named == nil {
                named = Dictionary(try store.people(includingHidden: true).compactMap { summary in
                    summary.person.name.map { (sameName($0), summary.person.id) } }, uniquingKeysWith: { first, _ in first })
            }
            let faces = try store.faces(photoID: photoID)
            for (face, written) in zip(faces, match(regions, to: faces).names) where !face.movedByHand {
                // A name search could never find is not taken (the CLI and the page refuse it too).
                guard let name = try? PersonRecord.name(from: written) else { continue }
                let existing = named?[sameName(name)]
                if let personID = face.personID {
                    guard try store.person(id: personID)?.name == nil else { continue }
                    if let existing { try store.merge(person: personID, into: existing) } else { try store.name(person: personID, name) }
                    if existing == nil { named?[sameName(name)] = personID }
                } else if let existing {
                    try store.move(face: face.key, to: existing)
                } else if let formed = try store.apply(ClusteringOutcome(newPeople: [[face.key]], representatives: [face.key])).first {
                    // It stands for its person, so later photos of them join it.
                    try store.name(person: formed, name)
                    named?[sameName(name)] = formed
                }
            }
        }
    }

    /// Names that differ only in case, accents or spacing are one person's ("Ada Lovelace", "ada  lovelace").
    static func sameName(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
