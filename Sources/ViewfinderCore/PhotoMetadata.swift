/// A place on Earth as the camera recorded it (WGS 84 degrees, metres above sea level).
public struct GPSPosition: Codable, Sendable, Equatable {
    public var lat: Double
    public var lon: Double
    public var alt: Double?

    public init(lat: Double, lon: Double, alt: Double? = nil) {
        self.lat = lat
        self.lon = lon
        self.alt = alt
    }
}

/// Everything read from a photo's headers, EXIF, IPTC, XMP and sidecars.
public struct PhotoMetadata: Codable, Sendable, Equatable {
    /// Pixel size as displayed, after EXIF orientation.
    public var width: Int
    public var height: Int
    /// EXIF orientation 1–8; 1 when the file says nothing.
    public var orientation: Int
    /// Capture time as ISO 8601 local time, with the offset when the file records one.
    public var taken: String?
    public var make: String?
    public var model: String?
    public var lens: String?
    /// Millimetres.
    public var focalLength: Double?
    public var fNumber: Double?
    /// Seconds.
    public var exposureTime: Double?
    public var iso: Int?
    public var gps: GPSPosition?
    /// XMP rating, -1 (rejected) to 5.
    public var rating: Int?
    public var description: String?
    public var keywords: [String]
    /// Named faces other programs marked, in the file or its sidecar.
    public var regions: [NamedRegion]
    public var format: MediaFormat
    /// A video's length in seconds; nil for photos.
    public var duration: Double?
    /// Apple's content identifier, shared by the photo and the video of one Live Photo: what stacks the two.
    public var contentIdentifier: String?
    /// One id for every frame of a burst (Apple's BurstUUID, Google Camera's XMP BurstID).
    public var burstIdentifier: String?

    public init(
        width: Int = 0, height: Int = 0, orientation: Int = 1, taken: String? = nil, make: String? = nil,
        model: String? = nil, lens: String? = nil, focalLength: Double? = nil, fNumber: Double? = nil,
        exposureTime: Double? = nil, iso: Int? = nil, gps: GPSPosition? = nil, rating: Int? = nil,
        description: String? = nil, keywords: [String] = [], regions: [NamedRegion] = [], format: MediaFormat,
        duration: Double? = nil, contentIdentifier: String? = nil, burstIdentifier: String? = nil
    ) {
        self.width = width
        self.height = height
        self.orientation = orientation
        self.taken = taken
        self.make = make
        self.model = model
        self.lens = lens
        self.focalLength = focalLength
        self.fNumber = fNumber
        self.exposureTime = exposureTime
        self.iso = iso
        self.gps = gps
        self.rating = rating
        self.description = description
        self.keywords = keywords
        self.regions = regions
        self.format = format
        self.duration = duration
        self.contentIdentifier = contentIdentifier
        self.burstIdentifier = burstIdentifier
    }
}
