/// One photo as search sees it: the words of each field and the values filters test.
public struct SearchDocument: Sendable {
    public var id: Int64
    /// Relative to the library root: a leading folder every photo shares would match everything.
    public var path: String
    public var caption: String
    /// Labels with the model's score (1 for keywords a person wrote).
    public var labels: [(name: String, score: Float)]
    public var text: String
    public var city: String?
    public var region: String?
    public var country: String?
    public var make: String?
    public var model: String?
    public var lens: String?
    /// ISO 8601 local time.
    public var taken: String?
    public var iso: Int?
    public var fNumber: Double?
    public var focalLength: Double?
    public var latitude: Double?
    public var longitude: Double?
    public var format: String
    public var width: Int
    public var height: Int
    public var rating: Int?
    public var faces: Int
    /// Names of the people recognised in the photo that someone named (hidden people left out).
    public var people: [String]
    /// People recognised in the photo, named or not (hidden people left out): what `people:` counts.
    public var peopleCount: Int
    /// A video's length in seconds; nil for photos.
    public var duration: Double?
    /// Apple's content identifier (a Live Photo's still and video share it): what stacks them.
    public var contentIdentifier: String?
    /// The burst the photo was shot in: what stacks its frames.
    public var burstIdentifier: String?
    /// The 64 bits of the photo's perceptual hash (`PerceptualHash.bits`): near-identical frames seconds apart stack
    /// as a burst. Nil when not yet hashed.
    public var perceptualHash: UInt64?

    public init(id: Int64, path: String, caption: String = "", labels: [(name: String, score: Float)] = [], text: String = "",
                city: String? = nil, region: String? = nil, country: String? = nil, make: String? = nil, model: String? = nil,
                lens: String? = nil, taken: String? = nil, iso: Int? = nil, fNumber: Double? = nil, focalLength: Double? = nil,
                latitude: Double? = nil, longitude: Double? = nil, format: String = "jpeg", width: Int = 0, height: Int = 0,
                rating: Int? = nil, faces: Int = 0, people: [String] = [], peopleCount: Int? = nil, duration: Double? = nil,
                contentIdentifier: String? = nil, burstIdentifier: String? = nil, perceptualHash: UInt64? = nil) {
        self.duration = duration
        self.id = id
        self.path = path
        self.caption = caption
        self.labels = labels
        self.text = text
        self.city = city
        self.region = region
        self.country = country
        self.make = make
        self.model = model
        self.lens = lens
        self.taken = taken
        self.iso = iso
        self.fNumber = fNumber
        self.focalLength = focalLength
        self.latitude = latitude
        self.longitude = longitude
        self.format = format
        self.width = width
        self.height = height
        self.rating = rating
        self.faces = faces
        self.people = people
        self.peopleCount = peopleCount ?? people.count
        self.contentIdentifier = contentIdentifier
        self.burstIdentifier = burstIdentifier
        self.perceptualHash = perceptualHash
    }
}

extension SearchDocument {
    /// City, country and region as the query parser recognises places among words.
    var foldedPlaces: [String] { [city, country, region].compactMap { $0.map(Folding.fold) } }
}

/// The fields words are found in, as bits of a mask (eight: one byte), with how much a match there counts.
public enum SearchField: Int, CaseIterable, Sendable, Codable {
    case caption, labels, text, place, name, folder, camera, person

    var bit: UInt8 { 1 << UInt8(rawValue) }

    var weight: Float {
        switch self {
        case .caption: 3
        case .labels, .place, .person: 2.5
        case .text: 2
        case .name, .folder: 1.5
        case .camera: 1
        }
    }

    public var name: String {
        switch self {
        case .caption: "caption"
        case .labels: "labels"
        case .text: "text"
        case .place: "place"
        case .name: "file name"
        case .folder: "folder"
        case .camera: "camera"
        case .person: "person"
        }
    }
}
