/// Every metadata value exiv2 found, keyed as exiv2 names them ("Exif.Image.Make", "Xmp.dc.subject").
public struct RawMetadata: Sendable, Equatable {
    public var values: [String: [String]] = [:]
    public var warnings: [String] = []

    public init() {}

    public subscript(key: String) -> String? { values[key]?.first }

    mutating func append(_ key: String, _ value: String) { values[key, default: []].append(value) }

    /// Overlays another source (a sidecar) whose keys replace this one's.
    public func overlaid(by other: RawMetadata) -> RawMetadata {
        var merged = self
        for (key, value) in other.values { merged.values[key] = value }
        merged.warnings += other.warnings
        return merged
    }
}
