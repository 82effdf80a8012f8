import Catalogue
import ViewfinderCore

/// `--write-back` for people: the named faces of each photo become its MWG regions (in the photo or its sidecar,
/// by the write-back mode), so other programs see the names. Photos whose regions already say so are left alone.
public enum PeopleWriteBack {
    /// Returns how many photos were written, and a line for each photo that could not be.
    public static func run(_ store: PhotoStore, mode: WriteBackMode) throws -> (written: Int, failures: [String]) {
        var names = [Int64: String]()
        var photos = Set<Int64>()
        for summary in try store.people(includingHidden: false) {
            guard let name = summary.person.name else { continue }
            names[summary.person.id] = name
            photos.formUnion(summary.photoIDs)
        }
        var written = 0
        var failures = [String]()
        for photoID in photos.sorted() {
            guard let photo = try store.photo(id: photoID) else { continue }
            let regions = try store.faces(photoID: photoID).compactMap { face in
                face.personID.flatMap { names[$0] }.map { NamedRegion(name: $0, x: face.x, y: face.y, w: face.w, h: face.h) }
            }
            // The writer replaces only the faces these cover (other programs' regions stay): done when all are there.
            guard !regions.allSatisfy({ ours in photo.metadata.regions.contains { sameFace(ours, $0) } }) else { continue }
            do {
                _ = try MetadataWriter.write(caption: nil, tags: [], regions: RegionsToWrite(regions, of: photo),
                                             to: photo.path, mode: mode, indexedHash: photo.contentHash)
                written += 1
            } catch {
                failures.append("\(photo.path): \(error.reason)")
            }
        }
        return (written, failures)
    }

    /// The same name over the same box, to the precision regions are written with.
    static func sameFace(_ a: NamedRegion, _ b: NamedRegion) -> Bool {
        func key(_ r: NamedRegion) -> [Int] { [r.x, r.y, r.w, r.h].map { Int(($0 * 1000).rounded()) } }
        return a.name == b.name && key(a) == key(b)
    }
}
