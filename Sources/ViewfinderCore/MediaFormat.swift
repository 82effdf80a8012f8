/// The kind of picture a file holds, decided from its bytes rather than its name.
public enum MediaFormat: String, Codable, Sendable, CaseIterable {
    case jpeg, mpo, heic, avif, png, webp, tiff, gif, jpeg2000, raw
    /// Videos: ISO MP4 (and M4V), QuickTime MOV, 3GPP, Matroska, AVI, MPEG transport stream (AVCHD .MTS).
    case mp4, quicktime, threeGPP = "3gpp", matroska, avi, mpegTS = "mpegts"

    /// Videos are probed and decoded by FFmpeg's tools, not read into memory.
    public var isVideo: Bool {
        switch self {
        case .mp4, .quicktime, .threeGPP, .matroska, .avi, .mpegTS: true
        default: false
        }
    }

    /// Formats whose pixels come from an embedded preview rather than the file's own image data.
    public var decodesThroughPreview: Bool { self == .raw }

    /// HEIF containers carry their own rotation and mirroring, which the decoder applies.
    public var transformsItself: Bool { self == .heic || self == .avif }

    /// Formats decoded by libjpeg-turbo's DCT-domain scaler instead of libvips.
    public var isJPEGFamily: Bool { self == .jpeg || self == .mpo }

    /// The Content-Type an original of this format is served with.
    public var mediaType: String {
        switch self {
        case .jpeg, .mpo: "image/jpeg"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .png: "image/png"
        case .webp: "image/webp"
        case .tiff: "image/tiff"
        case .gif: "image/gif"
        case .jpeg2000: "image/jp2"
        case .raw: "application/octet-stream"
        case .mp4: "video/mp4"
        case .quicktime: "video/quicktime"
        case .threeGPP: "video/3gpp"
        case .matroska: "video/x-matroska"
        case .avi: "video/x-msvideo"
        case .mpegTS: "video/mp2t"
        }
    }
}
