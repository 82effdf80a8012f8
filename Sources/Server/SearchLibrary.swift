import Foundation
import Search
import Catalogue
import Vision
import ViewfinderCore

/// The catalogue as the search engine reads it: photos with their descriptions, paths relative to the folder
/// they all share, vectors by model.
public enum SearchLibrary {
    /// The engine, and the folder its paths are relative to.
    public static func engine(_ store: PhotoStore) throws -> (engine: SearchEngine, root: String) {
        let read = try read(store)
        return (read.engine, read.root)
    }

    /// Everything a snapshot needs from the store, read once.
    /// - Parameter roots: folders photos will come from, so later photos share the folder paths are relative to.
    static func read(_ store: PhotoStore, roots: [String] = []) throws -> (engine: SearchEngine, root: String, rows: [PhotoRecord]) {
        let rows = try store.searchablePhotos()
        let root = commonFolder(rows.map(\.photo.path) + roots.map { $0.hasSuffix("/") ? $0 : $0 + "/" })
        let people = try store.people(inPhotos: rows.compactMap(\.photo.id))
        var numbers = [Int64: Int]()
        let documents = rows.enumerated().map { number, row in
            numbers[row.photo.id ?? -1] = number
            return document(row.photo, row.description, people: row.photo.id.flatMap { people[$0] } ?? [], root: root)
        }
        var byModel = [String: [[Float]?]]()
        for record in try store.vectors() {
            guard let number = numbers[record.photoID] else { continue }
            let values = record.vector.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            byModel[record.model, default: Array(repeating: nil, count: documents.count)][number] = values
        }
        let engine = SearchEngine(documents: documents, vectors: byModel.map { VectorIndex(model: $0.key, vectors: $0.value) })
        return (engine, root, rows.map(\.photo))
    }

    /// Changed photos as engine updates: those present are put in (again), every other id is taken out.
    /// - Parameter people: the people each photo shows (`PeopleCatalogue.people(inPhotos:)`).
    static func updates(_ photos: [SearchablePhoto], people: [Int64: [PersonRecord]], removing changed: [Int64],
                        root: String) -> [EngineUpdate] {
        let present = Set(photos.compactMap(\.photo.id))
        return changed.filter { !present.contains($0) }.map { EngineUpdate.remove($0) } + photos.map { found in
            let vectors = found.vectors.map { record in
                (record.model, record.vector.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
            }
            return .upsert(document(found.photo, found.description, people: found.photo.id.flatMap { people[$0] } ?? [], root: root),
                           vectors: Dictionary(vectors) { first, _ in first })
        }
    }

    private static let decoder = JSONDecoder()

    /// - Parameter people: the people the photo shows; the hidden are neither named nor counted.
    public static func document(_ photo: PhotoRecord, _ description: DescriptionRecord?, people: [PersonRecord] = [],
                                root: String) -> SearchDocument {
        let shown = people.filter { !$0.hidden }
        // Only what search reads is decoded (faces were a third of reading a catalogue), with one decoder.
        let stored = description.map { (caption: $0.caption, text: $0.text,
                                        labels: (try? decoder.decode([PhotoDescription.Label].self, from: Data($0.labels.utf8))) ?? [],
                                        place: $0.place.flatMap { try? decoder.decode(PhotoDescription.Place.self, from: Data($0.utf8)) }) }
        let metadata = photo.metadata
        var labels = (stored?.labels ?? []).map { (name: $0.name, score: Float($0.score)) }
        labels += metadata.keywords.map { (name: $0, score: Float(1)) }
        let caption = [metadata.description, stored?.caption].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
        return SearchDocument(
            id: photo.id ?? 0, path: String(photo.path.dropFirst(root.count)), caption: caption, labels: labels,
            text: stored?.text ?? "", city: stored?.place?.city, region: stored?.place?.region, country: stored?.place?.country,
            make: metadata.make, model: metadata.model, lens: metadata.lens, taken: metadata.taken, iso: metadata.iso,
            fNumber: metadata.fNumber, focalLength: metadata.focalLength, latitude: metadata.gps?.lat, longitude: metadata.gps?.lon,
            format: metadata.format.rawValue, width: metadata.width, height: metadata.height, rating: metadata.rating,
            faces: description?.faceCount ?? 0, people: shown.compactMap(\.name), peopleCount: Set(shown.map(\.id)).count,
            duration: metadata.duration, contentIdentifier: photo.contentIdentifier, burstIdentifier: photo.burstIdentifier,
            perceptualHash: photo.looks?.bits)
    }

    /// The longest folder (ending in /) every path starts with: a shared leading folder would match every query.
    public static func commonFolder(_ paths: [String]) -> String {
        guard var prefix = paths.first.map({ String($0[...($0.lastIndex(of: "/") ?? $0.startIndex)]) }) else { return "" }
        for path in paths.dropFirst() {
            while !path.hasPrefix(prefix) {
                prefix = String(prefix.dropLast())
                prefix = String(prefix[...(prefix.lastIndex(of: "/") ?? prefix.startIndex)])
                if prefix.isEmpty || prefix == "/" { return prefix }
            }
        }
        return prefix
    }
}
