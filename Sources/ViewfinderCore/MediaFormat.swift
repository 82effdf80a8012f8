/// The kind of picture a file holds, decided from its bytes rather than its name.
public enum MediaFormat: String, Codable, Sendable, CaseIterable {
    case jpeg, mpo, heic, avif, png, webp, tiff, gif, jpeg2000, raw

    /// Formats whose pixels come from an embedded preview rather than the file's own image data.
    public var decodesThroughPreview: Bool { self == .raw }

    /// HEIF containers carry their own rotation and mirroring, which the decoder applies.
    public var transformsItself: Bool { self == .heic || self == .avif }

    /// Formats decoded by libjpeg-turbo's DCT-domain scaler instead of libvips.
    public var isJPEGFamily: Bool { self == .jpeg || self == .mpo }
}
