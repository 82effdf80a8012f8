import CShims
import ViewfinderCore

/// What one read of a photo file yields: identity, metadata, thumbnail, and what went wrong on the way.
public struct AnalyzedPhoto: Sendable {
    public var metadata: PhotoMetadata
    /// nil when the caller already has a thumbnail for this content.
    public var thumbnail: Thumbnail?
    /// The 1440 px JPEG, when asked for and made by the thumbnail's decode.
    public var preview: [UInt8]?
    public var warnings: [IndexProblem]
}

/// Probe and thumbnail from a single read of the file: hash, sniff, metadata, one decode.
public struct PhotoAnalyzer: Sendable {
    public let thumbnailer: Thumbnailer

    public init(limits: IndexingLimits = IndexingLimits()) { thumbnailer = Thumbnailer(limits: limits) }

    public static func hash(_ bytes: [UInt8]) -> ContentHash {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { vf_sha256($0.baseAddress, $0.count, &digest) }
        return ContentHash(digest: digest)
    }

    /// exiv2 can say a dozen things about one broken maker note; a person needs one line.
    static func summarize(_ messages: [String]) -> IndexProblem? {
        var seen = Set<String>()
        let distinct = messages.filter { seen.insert($0).inserted }
        guard let first = distinct.first else { return nil }
        let more = distinct.count > 1 ? " (and \(distinct.count - 1) more)" : ""
        return IndexProblem(.metadata, .warning, "metadata partly unreadable: \(first)\(more)")
    }

    /// - Parameters:
    ///   - sidecar: the bytes of an XMP sidecar beside the photo, if any.
    ///   - knownSize: the displayed size when identical content was already thumbnailed (a duplicate);
    ///     then nothing is decoded.
    ///   - preview: make the preview too, where the thumbnail's decode can.
    public func analyze(_ bytes: [UInt8], fileExtension: String, sidecar: [UInt8]?,
                        knownSize: (width: Int, height: Int)? = nil, preview: Bool = false) throws(IndexProblem) -> AnalyzedPhoto {
        let format = try FormatSniffer.detect(bytes, fileExtension: fileExtension)
        var warnings = [IndexProblem]()
        if let expected = FormatSniffer.formatNamed(byExtension: fileExtension), expected != format,
           !(expected.isJPEGFamily && format.isJPEGFamily) {
            warnings.append(IndexProblem(.detect, .warning,
                "the name says .\(fileExtension) but the content is \(format.rawValue.uppercased()); indexed as \(format.rawValue.uppercased())"))
        }
        var embedded = RawMetadata()
        do { embedded = try MetadataReader.read(bytes) } catch { warnings.append(error) }
        if let summary = Self.summarize(embedded.warnings) { warnings.append(summary) }
        var sidecarMetadata: RawMetadata?
        if let sidecar {
            do { sidecarMetadata = try MetadataReader.read(sidecar) } catch {
                warnings.append(IndexProblem(.metadata, .warning, "XMP sidecar unreadable: \(error.reason)"))
            }
        }
        var metadata = MetadataInterpreter.interpret(embedded: embedded, sidecar: sidecarMetadata, format: format)
        var made: Renditions?
        if let knownSize {
            (metadata.width, metadata.height) = knownSize
        } else {
            let decoded = try thumbnailer.renditions(bytes, format: format, orientation: metadata.orientation, preview: preview)
            metadata.width = decoded.displayedWidth
            metadata.height = decoded.displayedHeight
            warnings += decoded.warnings
            made = decoded
        }
        metadata.regions = RegionInterpreter.regions(embedded: embedded, sidecar: sidecarMetadata,
                                                     orientation: metadata.orientation, width: metadata.width, height: metadata.height)
        return AnalyzedPhoto(metadata: metadata, thumbnail: made?.thumbnail, preview: made?.preview, warnings: warnings)
    }
}
