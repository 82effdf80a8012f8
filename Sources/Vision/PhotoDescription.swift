import Foundation

/// What the models say about one photo.
public struct PhotoDescription: Codable, Sendable, Equatable {
    public struct Label: Codable, Sendable, Equatable {
        public var name: String
        public var score: Double
        public init(name: String, score: Double) { self.name = name; self.score = score }
    }

    /// A face's box in fractions of the upright photo, and what the face model made of it.
    public struct Face: Codable, Sendable, Equatable {
        public var x, y, w, h, score: Double
        /// dlib's 128 numbers (Euclidean distance: one person's faces lie within about 0.6); nil from older workers.
        public var descriptor: [Float]?
        /// 0–1; small, blurred and turned-away faces score low: kept as faces, not used to form people.
        public var quality: Double?

        public init(x: Double, y: Double, w: Double, h: Double, score: Double, descriptor: [Float]? = nil, quality: Double? = nil) {
            self.x = x
            self.y = y
            self.w = w
            self.h = h
            self.score = score
            self.descriptor = descriptor
            self.quality = quality
        }
    }

    public struct Place: Codable, Sendable, Equatable {
        public var city: String?
        public var region: String?
        public var country: String?
        public var countryCode: String?
    }

    public var caption: String
    public var labels: [Label]
    /// Text read in the photo, a line per line.
    public var text: String
    public var faces: [Face]
    public var place: Place?
    /// Unit vectors by model name ("all-MiniLM-L6-v2", "clip:NAME").
    public var vectors: [String: [Float]]

    public init(caption: String, labels: [Label], text: String, faces: [Face], place: Place?, vectors: [String: [Float]]) {
        self.caption = caption
        self.labels = labels
        self.text = text
        self.faces = faces
        self.place = place
        self.vectors = vectors
    }
}

/// One photo to describe: upright sRGB pixels and what the metadata knows of time and place.
public struct DescribeRequest: Sendable {
    public var rgb: [UInt8]
    public var width: Int
    public var height: Int
    public var taken: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Run OCR (the costliest model: about 120 ms of the 150 a photo takes).
    public var readText: Bool

    public init(rgb: [UInt8], width: Int, height: Int, taken: String?, latitude: Double?, longitude: Double?,
                readText: Bool = true) {
        self.rgb = rgb
        self.width = width
        self.height = height
        self.taken = taken
        self.latitude = latitude
        self.longitude = longitude
        self.readText = readText
    }
}

/// Why the worker could not describe a photo, in words for the error log.
public struct VisionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// The worker itself failed (crashed, hung, unreachable), not this photo.
    public var workerFailed: Bool
    /// The worker could not be started or reached at all: nothing can be described now.
    public var unavailable: Bool

    public init(_ reason: String, workerFailed: Bool = false, unavailable: Bool = false) {
        self.reason = reason
        self.workerFailed = workerFailed || unavailable
        self.unavailable = unavailable
    }

    public var description: String { reason }
}
