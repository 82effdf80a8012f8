import ViewfinderCore

/// A video's metadata (ffprobe) and its poster frame (ffmpeg), each a process of its own under a deadline; the
/// frame becomes the thumbnail and preview exactly as a photo's pixels would.
public struct VideoAnalyzer: Sendable {
    public let thumbnailer: Thumbnailer
    /// Per tool run; under the indexer's per-file deadline, so a stuck tool is killed before its job is abandoned.
    let seconds: Double

    public init(limits: IndexingLimits = IndexingLimits()) {
        thumbnailer = Thumbnailer(limits: limits)
        seconds = max(1, limits.secondsPerFile / 3)
    }

    /// - Parameters:
    ///   - sidecar: an XMP sidecar beside the video; with the XMP an editor wrote into the file (`embeddedXMP`),
    ///     it gives what the QuickTime keys lack, and a description, keywords and rating as for photos (MWG rules).
    ///   - knownSize: when this content was thumbnailed already, no frame is decoded.
    public func analyze(path: String, format: MediaFormat, sidecar: [UInt8]?, embeddedXMP: [UInt8]? = nil,
                        knownSize: (width: Int, height: Int)? = nil) throws(IndexProblem) -> AnalyzedPhoto {
        var metadata = try probe(path: path, format: format)
        var warnings = [IndexProblem]()
        if sidecar != nil || embeddedXMP != nil {
            var embedded = RawMetadata()
            if let embeddedXMP {
                do { embedded = try MetadataReader.read(embeddedXMP) } catch {
                    warnings.append(IndexProblem(.metadata, .warning, "XMP in the video unreadable: \(error.reason)"))
                }
            }
            var written: RawMetadata?
            if let sidecar {
                do { written = try MetadataReader.read(sidecar) } catch {
                    warnings.append(IndexProblem(.metadata, .warning, "XMP sidecar unreadable: \(error.reason)"))
                }
            }
            metadata.fill(from: MetadataInterpreter.interpret(embedded: embedded, sidecar: written, format: format))
        }
        if knownSize != nil { return AnalyzedPhoto(metadata: metadata, thumbnail: nil, preview: nil, warnings: warnings) }
        let frame = try posterFrame(path: path, duration: metadata.duration)
        // The frame is upright already (ffmpeg applies the display matrix) and no larger than a preview.
        let made = try thumbnailer.renditions(frame, format: .jpeg, orientation: 1, preview: true)
        return AnalyzedPhoto(metadata: metadata, thumbnail: made.thumbnail, preview: made.preview ?? frame,
                             warnings: warnings + made.warnings)
    }

    /// Why no video can be read on this machine now (ffprobe or ffmpeg not on PATH), or nil.
    public static var missingTool: IndexProblem? {
        if ToolProcess.locate("ffprobe") == nil { return ToolProcess.notInstalled("ffprobe", stage: .metadata) }
        if ToolProcess.locate("ffmpeg") == nil { return ToolProcess.notInstalled("ffmpeg", stage: .decode) }
        return nil
    }

    /// ffprobe's reading of the container and its streams.
    public func probe(path: String) throws(IndexProblem) -> [UInt8] {
        try ToolProcess(name: "ffprobe", seconds: seconds, maxOutput: 16 << 20).run(
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path], stage: .metadata)
    }

    func probe(path: String, format: MediaFormat) throws(IndexProblem) -> PhotoMetadata {
        try VideoMetadata.interpret(ffprobeJSON: probe(path: path), format: format)
    }

    /// One frame as a JPEG at most `Thumbnailer.previewEdge` on its long side, turned upright by ffmpeg.
    public func posterFrame(path: String, duration: Double?) throws(IndexProblem) -> [UInt8] {
        let time = VideoMetadata.posterTime(duration: duration)
        // A seek can land past the only keyframe (a transport stream has no index to seek by): then the first frame.
        if time > 0, let frame = try frame(path: path, at: time) { return frame }
        guard let first = try frame(path: path, at: nil) else { throw IndexProblem(.decode, "ffmpeg decoded no frame from this video") }
        return first
    }

    /// The frame at `time` (nil: the first) as a preview-sized JPEG, or nil when the seek found none.
    public func frame(path: String, at time: Double?) throws(IndexProblem) -> [UInt8]? {
        let edge = Thumbnailer.previewEdge
        let seek = time.map { ["-ss", String(format: "%.3f", $0)] } ?? []
        let frame = try ToolProcess(name: "ffmpeg", seconds: seconds, maxOutput: 32 << 20).run(
            ["-nostdin", "-v", "error", "-threads", "1"] + seek + ["-i", path, "-map", "0:V:0", "-frames:v", "1",
             "-vf", "scale=w='min(\(edge),iw)':h='min(\(edge),ih)':force_original_aspect_ratio=decrease,format=yuvj420p",
             "-an", "-sn", "-dn", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2pipe", "-"], stage: .decode)
        return frame.starts(with: [0xFF, 0xD8]) ? frame : nil
    }
}

extension PhotoMetadata {
    /// What the container lacked, from an XMP sidecar; what a person wrote there (description, keywords, rating) always.
    mutating func fill(from sidecar: PhotoMetadata) {
        taken = taken ?? sidecar.taken
        make = make ?? sidecar.make
        model = model ?? sidecar.model
        gps = gps ?? sidecar.gps
        description = sidecar.description ?? description
        keywords = sidecar.keywords.isEmpty ? keywords : sidecar.keywords
        rating = sidecar.rating ?? rating
    }
}
