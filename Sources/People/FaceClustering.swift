import Catalogue

/// Groups faces into people a batch at a time, in the manner of DBSCAN with two points: a new face joins the
/// person whose faces it is nearest (within `matchDistance` of one of the few faces that stand for them); faces
/// left over join each other, and loose faces seen before, when they lie that close and are in different photos,
/// and two or more so joined become a new person. A lone face stays nobody's until a match arrives. Two faces of
/// one photo are never one person; faces already someone's, names and faces moved by hand are never touched.
/// A weak face (small, blurred, turned away) joins the person of the nearest face within reach, but never forms
/// a person, stands for one or waits as a loose face.
///
/// The work is proportional to the batch: each new face is compared with the centres and loose faces of a few
/// nearby cells (`KnownFaces`), the representatives of the three nearest people and the rest of the batch.
public struct FaceClustering {
    /// The thresholds in one place, measured on ../shared/corpus/people (BENCHMARKS.md, "Faces: descriptors,
    /// alignment and thresholds"): 0.6 lies mid-gap between one person's faces (up to 0.542) and two people's
    /// (from 0.686), and is dlib's own; below quality 0.4 a face drifts as far as two photos of one person do.
    public static let matchDistance: Float = 0.6
    public static let minQuality = 0.4
    public static let representativesPerPerson = 8
    /// How many people, nearest by centre, a face is compared with face by face.
    static let peopleCompared = 3

    public var matchDistance: Float
    public var minQuality: Double
    public var representativesPerPerson: Int
    /// Descriptor comparisons made so far: what "proportional to the batch" is measured in.
    public private(set) var comparisons = 0

    public init(matchDistance: Float = Self.matchDistance, minQuality: Double = Self.minQuality,
                representativesPerPerson: Int = Self.representativesPerPerson) {
        self.matchDistance = matchDistance
        self.minQuality = minQuality
        self.representativesPerPerson = representativesPerPerson
    }

    /// Whether a face is good enough to form a person, stand for one, or wait for a match.
    func good(_ face: FaceRecord) -> Bool { (face.quality ?? 0) >= minQuality }

    /// Decides one batch against faces passed in, compared with every one of them (the exact answer).
    /// - Parameters:
    ///   - batch: faces not looked at yet.
    ///   - representatives: the faces that stand for existing people.
    ///   - loose: good faces seen before that belong to nobody.
    ///   - occupied: people already in the batch's photos (a face carried over when a photo was described again).
    public mutating func cluster(batch: [FaceRecord], representatives: [FaceRecord], loose: [FaceRecord],
                                 occupied: [Int64: Set<Int64>] = [:]) -> ClusteringOutcome {
        var known = KnownFaces(representatives: representatives, loose: loose, minQuality: minQuality, exact: true,
                               width: KnownFaces.commonWidth(batch + representatives + loose))
        return cluster(batch: batch, against: &known, occupied: occupied)
    }

    /// Decides one batch against the known faces (their width is settled by the batch while none are known).
    public mutating func cluster(batch: [FaceRecord], against known: inout KnownFaces,
                                 occupied: [Int64: Set<Int64>] = [:]) -> ClusteringOutcome {
        var outcome = ClusteringOutcome(seen: batch.map(\.key).sorted())
        let width = known.settleWidth(for: batch)
        let fresh = batch.filter { KnownFaces.usable($0, width: width) && $0.personID == nil && !$0.movedByHand }.sorted { $0.key < $1.key }
        guard !fresh.isEmpty else { return outcome }
        let limit = matchDistance * matchDistance

        // 1. Each new face's nearest person, if close enough; within a photo the nearer face keeps a person.
        var claim = [Int: (person: Int64, distance: Float)]()
        for (i, face) in fresh.enumerated() {
            let taken = occupied[face.key.photoID] ?? []
            if let (person, distance) = known.nearestPerson(to: face.descriptor!, excluding: taken, within: limit, comparisons: &comparisons) {
                claim[i] = (person, distance)
            }
        }
        var byPhotoAndPerson = [Pair: Int]()
        for (i, c) in claim.sorted(by: { $0.key < $1.key }) {
            let pair = Pair(photo: fresh[i].key.photoID, person: c.person)
            if let other = byPhotoAndPerson[pair] {
                if claim[other]!.distance <= c.distance { claim[i] = nil; continue }
                claim[other] = nil
            }
            byPhotoAndPerson[pair] = i
        }

        // 2. Faces left (new and loose) linked nearest first, never two of one photo in a group, never two people.
        // Only loose faces within reach of a new face can be linked, so only they take part.
        let near = fresh.map { known.looseFaces(near: $0.descriptor!, within: limit, comparisons: &comparisons) }
        let reached = Dictionary(near.joined().map { ($0.face.key, $0.face) }, uniquingKeysWith: { first, _ in first })
        let pool = fresh + reached.values.sorted { $0.key < $1.key }
        let place = Dictionary(uniqueKeysWithValues: pool.indices.dropFirst(fresh.count).map { (pool[$0].key, $0) })
        var groups = Groups(pool.enumerated().map { i, face in
            let person = i < fresh.count ? claim[i]?.person : nil
            return (photo: face.key.photoID, person: person)
        }, occupied: occupied)
        var rows = DescriptorRows(width: width)
        for face in fresh { rows.append(face.descriptor!) }
        var links = [(distance: Float, a: Int, b: Int)]()
        for a in fresh.indices {
            let distances = rows.distances(to: fresh[a].descriptor!, from: a + 1)
            for b in (a + 1)..<fresh.count where fresh[a].key.photoID != fresh[b].key.photoID && distances[b - a - 1] <= limit
                && (good(fresh[a]) || good(fresh[b])) {
                links.append((distances[b - a - 1], a, b))
            }
            comparisons += distances.count
            for (face, distance) in near[a] where face.key.photoID != fresh[a].key.photoID {
                links.append((distance, a, place[face.key]!))
            }
        }
        // Good faces first; then each weak face still alone joins its nearest good face, as a leaf, so it never
        // bridges two groups (nor brings a person to a group).
        let nearestFirst = links.sorted { ($0.distance, $0.a, $0.b) < ($1.distance, $1.a, $1.b) }
        for link in nearestFirst where good(pool[link.a]) && good(pool[link.b]) { groups.join(link.a, link.b) }
        for link in nearestFirst where !good(pool[link.a]) || !good(pool[link.b]) {
            let weak = good(pool[link.a]) ? link.b : link.a
            if groups.isAlone(weak) { groups.join(link.a, link.b) }
        }

        // 3. What each group becomes: more of its person, a new person, or (alone) nobody yet.
        var standing = [Int64: Int]()
        // Two groups may join one person: a photo still gets into that person once.
        var photosOf = [Int64: Set<Int64>]()
        for members in groups.members() {
            var faces = members.map { pool[$0] }
            if let person = groups.person(of: members[0]) {
                faces = faces.filter { photosOf[person, default: []].insert($0.key.photoID).inserted }
                for face in faces { outcome.joins[face.key] = person }
                let room = max(0, representativesPerPerson - standing[person, default: known.standing(person)])
                let chosen = Self.best(faces.filter(good), room)
                outcome.representatives += chosen
                standing[person, default: known.standing(person)] += chosen.count
            } else if faces.filter(good).count >= 2 {
                outcome.newPeople.append(faces.map(\.key).sorted())
                outcome.representatives += Self.best(faces.filter(good), representativesPerPerson)
            }
        }
        outcome.representatives.sort()
        return outcome
    }

    /// The `count` best faces of a group by quality, as keys.
    static func best(_ faces: [FaceRecord], _ count: Int) -> [FaceKey] {
        faces.sorted { ($0.quality ?? 0, $1.key) > ($1.quality ?? 0, $0.key) }.prefix(count).map(\.key)
    }

    struct Pair: Hashable {
        var photo: Int64
        var person: Int64
    }
}

/// Union-find over one batch's faces with the rules of a person: one face per photo, at most one existing person,
/// and not a person already in one of the group's photos.
struct Groups {
    private var parent: [Int]
    private var photos: [Set<Int64>]
    private var people: [Int64?]
    private let occupied: [Int64: Set<Int64>]

    init(_ faces: [(photo: Int64, person: Int64?)], occupied: [Int64: Set<Int64>]) {
        parent = Array(faces.indices)
        photos = faces.map { [$0.photo] }
        people = faces.map(\.person)
        self.occupied = occupied
    }

    mutating func root(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }

    /// Not joined to anything, nor anyone's yet.
    func isAlone(_ i: Int) -> Bool { parent[i] == i && photos[i].count == 1 && people[i] == nil }

    func person(of i: Int) -> Int64? {
        var i = i
        while parent[i] != i { i = parent[i] }
        return people[i]
    }

    mutating func join(_ a: Int, _ b: Int) {
        let (x, y) = (root(a), root(b))
        guard x != y, photos[x].isDisjoint(with: photos[y]) else { return }
        let person: Int64?
        switch (people[x], people[y]) {
        case let (p?, q?): guard p == q else { return }; person = p
        case let (p?, nil), let (nil, p?): person = p
        case (nil, nil): person = nil
        }
        if let person, photos[x].union(photos[y]).contains(where: { occupied[$0]?.contains(person) == true }) { return }
        let (big, small) = photos[x].count >= photos[y].count ? (x, y) : (y, x)
        parent[small] = big
        photos[big].formUnion(photos[small])
        photos[small] = []
        people[big] = person
    }

    /// The groups, each as its members in index order.
    mutating func members() -> [[Int]] {
        var grouped = [Int: [Int]]()
        for i in parent.indices { grouped[root(i), default: []].append(i) }
        return grouped.keys.sorted().map { grouped[$0]! }
    }
}
