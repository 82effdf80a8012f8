import Catalogue

/// What a new face is compared with: each person (the centre of its representatives, and the representatives) and
/// the loose faces, each in cells found by a few trees (`DescriptorForest`), so a face reads a few cells, not the library.
/// Kept between batches and updated from each applied outcome, so a batch reads no more than itself from the store.
public struct KnownFaces: Sendable {
    /// Cells read per new face in each tree (BENCHMARKS.md "People: clustering"); exact reads every cell.
    public static let peopleProbes = 3
    public static let looseProbes = 3
    /// Faces a cell holds before it splits: a query reads a few cells, so this is most of its cost.
    public static let cellSize = 64

    /// The descriptor length every known face has (the most common one); 0 while nothing is known.
    public private(set) var width: Int
    let minQuality: Double
    let peopleProbes: Int
    let looseProbes: Int
    let cellSize: Int
    var centres: DescriptorForest<Int64>
    var representatives: [Int64: [FaceRecord]] = [:]
    /// Representatives whose descriptor is missing or of another width: not compared, but counted as standing.
    private var unusable: [Int64: Int] = [:]
    var loose: DescriptorForest<FaceKey>
    var looseFaces: [FaceKey: FaceRecord] = [:]

    /// - Parameters:
    ///   - representatives: the faces that stand for existing people.
    ///   - loose: good faces seen before that belong to nobody.
    public init(representatives: [FaceRecord], loose: [FaceRecord], minQuality: Double = FaceClustering.minQuality,
                exact: Bool = false, probes: (people: Int, loose: Int) = (peopleProbes, looseProbes), width: Int? = nil,
                cellSize: Int = cellSize) {
        self.minQuality = minQuality
        self.cellSize = cellSize
        peopleProbes = exact ? .max : probes.people
        looseProbes = exact ? .max : probes.loose
        self.width = width ?? Self.commonWidth(representatives + loose)
        centres = DescriptorForest(width: self.width, cellSize: cellSize)
        self.loose = DescriptorForest(width: self.width, cellSize: cellSize)
        for face in representatives {
            guard let person = face.personID else { continue }
            if self.width > 0, face.descriptor?.count == self.width {
                self.representatives[person, default: []].append(face)
            } else {
                unusable[person, default: 0] += 1  // still stands: a person with eight such faces takes no more
            }
        }
        for person in self.representatives.keys.sorted() { placeCentre(person) }
        for face in loose.sorted(by: { $0.key < $1.key }) { addLoose(face) }
    }

    /// The width most descriptors have: one empty or odd descriptor must not make every other face unusable.
    static func commonWidth(_ faces: [FaceRecord]) -> Int {
        let widths = Dictionary(faces.compactMap { $0.descriptor?.count }.filter { $0 > 0 }.map { ($0, 1) }, uniquingKeysWith: +)
        return widths.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key ?? 0
    }

    /// The width a batch is clustered at: the known faces', or the batch's own while nothing is known.
    mutating func settleWidth(for batch: [FaceRecord]) -> Int {
        if width == 0, count == 0 {
            width = Self.commonWidth(batch)
            centres = DescriptorForest(width: width, cellSize: cellSize)
            loose = DescriptorForest(width: width, cellSize: cellSize)
        }
        return width
    }

    var count: Int { centres.count + loose.count }

    static func usable(_ face: FaceRecord, width: Int) -> Bool {
        guard let descriptor = face.descriptor, descriptor.count == width, !descriptor.isEmpty else { return false }
        return descriptor.allSatisfy(\.isFinite)
    }

    private mutating func placeCentre(_ person: Int64) {
        centres.remove(person)
        guard let faces = representatives[person], !faces.isEmpty else { return }
        var centre = [Float](repeating: 0, count: width)
        for face in faces { for (i, v) in face.descriptor!.enumerated() { centre[i] += v } }
        centres.insert(person, centre.map { $0 / Float(faces.count) })
    }

    private mutating func addLoose(_ face: FaceRecord) {
        guard Self.usable(face, width: width), (face.quality ?? 0) >= minQuality, face.personID == nil, !face.movedByHand,
              looseFaces[face.key] == nil else { return }
        looseFaces[face.key] = face
        loose.insert(face.key, face.descriptor!)
    }

    /// How many faces stand for a person now.
    func standing(_ person: Int64) -> Int { (representatives[person]?.count ?? 0) + unusable[person, default: 0] }

    /// Follows an outcome the store applied as decided: faces given to someone leave the loose faces, chosen
    /// faces stand for their people, and the batch's good faces left over wait as loose.
    /// - Parameter formed: the ids the store gave `outcome.newPeople`, in order.
    public mutating func record(_ outcome: ClusteringOutcome, batch: [FaceRecord], formed: [Int64]) {
        _ = settleWidth(for: batch)
        var owner = outcome.joins
        for (group, person) in zip(outcome.newPeople, formed) { for key in group { owner[key] = person } }
        let batchFaces = Dictionary(batch.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var changed = Set<Int64>()
        for key in outcome.representatives {
            guard var face = batchFaces[key] ?? looseFaces[key], let person = owner[key] ?? face.personID,
                  Self.usable(face, width: width) else { continue }
            face.personID = person
            representatives[person, default: []].append(face)
            changed.insert(person)
        }
        for person in changed.sorted() { placeCentre(person) }
        for key in owner.keys where looseFaces.removeValue(forKey: key) != nil { loose.remove(key) }
        for face in batch.sorted(by: { $0.key < $1.key }) where owner[face.key] == nil { addLoose(face) }
    }

    /// The person with a representative nearest the face, among the few nearest by centre, when within `limit`
    /// (squared), leaving out people already in its photo.
    func nearestPerson(to descriptor: [Float], excluding taken: Set<Int64>, within limit: Float, comparisons: inout Int)
        -> (Int64, Float)? {
        // The few nearest centres in one pass (sorting every person per face cost more than comparing with them).
        var candidates = [(person: Int64, distance: Float)]()
        centres.forEach(near: descriptor, probes: peopleProbes, comparisons: &comparisons) { person, distance in
            guard !taken.contains(person) else { return }
            guard candidates.count < FaceClustering.peopleCompared || (distance, person) < (candidates.last!.distance, candidates.last!.person)
            else { return }
            let at = candidates.firstIndex { (distance, person) < ($0.distance, $0.person) } ?? candidates.count
            candidates.insert((person, distance), at: at)
            if candidates.count > FaceClustering.peopleCompared { candidates.removeLast() }
        }
        var found: (Int64, Float)?
        for (person, _) in candidates {
            for face in representatives[person] ?? [] {
                let distance = squaredDistance(face.descriptor!, descriptor)
                comparisons += 1
                if distance <= limit, distance < (found?.1 ?? .infinity) { found = (person, distance) }
            }
        }
        return found
    }

    /// The loose faces within `limit` (squared) of a face, with their squared distances, in key order.
    func looseFaces(near descriptor: [Float], within limit: Float, comparisons: inout Int) -> [(face: FaceRecord, distance: Float)] {
        var near = [(face: FaceRecord, distance: Float)]()
        loose.forEach(near: descriptor, probes: looseProbes, comparisons: &comparisons) { key, distance in
            if distance <= limit { near.append((looseFaces[key]!, distance)) }
        }
        return near.sorted { $0.face.key < $1.face.key }
    }
}
