import CShims
import ViewfinderCore

/// The small pictures a photo is shown by: a 256 px WebP thumbnail and its ThumbHash placeholder.
public struct Thumbnail: Sendable, Equatable {
    public var webp: [UInt8]
    public var thumbhash: [UInt8]
    /// What duplicates are found by, from the same pixels as the thumbnail (no decode of its own).
    public var perceptualHash: PerceptualHash
    public var width: Int
    public var height: Int
}

/// Makes thumbnails and previews, upright and in sRGB, from a photo's bytes.
public struct Thumbnailer: Sendable {
    public static let thumbnailEdge = 256
    public static let previewEdge = 1440
    static let previewQuality = 82

    let limits: IndexingLimits

    public init(limits: IndexingLimits = IndexingLimits()) { self.limits = limits }

    /// Returns the thumbnail, the photo's displayed size, and any damage found while decoding.
    public func thumbnail(_ bytes: [UInt8], format: MediaFormat, orientation: Int) throws(IndexProblem) -> Renditions {
        try renditions(bytes, format: format, orientation: orientation, preview: false)
    }

    /// The thumbnail and, when `preview` is asked for and the photo is a JPEG libjpeg can decode, the 1440 px
    /// preview from the same decode: Huffman decoding costs nearly as much at 1/8 as at 1/2, so a second decode
    /// would cost almost a whole one. Other formats leave `preview` nil, for a preview job to make.
    public func renditions(_ bytes: [UInt8], format: MediaFormat, orientation: Int, preview: Bool) throws(IndexProblem)
        -> Renditions {
        let decoder = UprightDecoder(limits: limits)
        let edge = preview ? Self.previewEdge : Self.thumbnailEdge
        guard format.isJPEGFamily, let jpeg = try ScaledJPEG.decode(bytes, atLeast: edge, limits: limits) else {
            return try renditions(from: decoder.decode(bytes, format: format, orientation: orientation, longEdge: Self.thumbnailEdge),
                                  preview: false)
        }
        guard jpeg.isSRGB else { return try renditions(from: decoder.upright(jpeg, orientation: orientation), preview: preview) }
        // The common case: no libvips at all between the DCT-scaled decode and the encoded pictures.
        let decoded = SmallPicture(rgb: jpeg.rgb, width: jpeg.width, height: jpeg.height)
        let small = try decoded.fitted(full: jpeg, longEdge: Self.thumbnailEdge, orientation: orientation)
        let tiny = try small.downscaled(toLongEdge: 100)
        let size = jpeg.displayedSize(orientation: orientation)
        let thumbnail = Thumbnail(
            webp: try small.webp(quality: 75), thumbhash: ThumbHash.encode(width: tiny.width, height: tiny.height, rgba: tiny.rgba),
            perceptualHash: PerceptualHash(rgb: small.rgb, width: small.width, height: small.height), width: small.width, height: small.height)
        // A preview that fails here is left to the preview job, which records why; the thumbnail stands.
        var jpegPreview: [UInt8]?
        if preview {
            jpegPreview = try? decoded.fitted(full: jpeg, longEdge: Self.previewEdge, orientation: orientation)
                .jpeg(quality: Self.previewQuality)
        }
        return Renditions(thumbnail: thumbnail, preview: jpegPreview, displayedWidth: size.width, displayedHeight: size.height,
                          warnings: jpeg.damage.map { [$0] } ?? [])
    }

    private func renditions(from upright: UprightPicture, preview: Bool) throws(IndexProblem) -> Renditions {
        let small = try upright.picture.resized(toLongEdge: Self.thumbnailEdge).inMemory(.thumbnail)
        let webp = try small.encoded({ vf_vips_save_webp($0, 75, $1, $2) }, .thumbnail)
        let tiny = try small.resized(toLongEdge: 100)
        let tinyPicture = SmallPicture(rgb: try tiny.rgbBytes(), width: tiny.width, height: tiny.height)
        let thumbnail = Thumbnail(
            webp: webp, thumbhash: ThumbHash.encode(width: tinyPicture.width, height: tinyPicture.height, rgba: tinyPicture.rgba),
            perceptualHash: PerceptualHash(rgb: try small.rgbBytes(), width: small.width, height: small.height), width: small.width, height: small.height)
        var jpegPreview: [UInt8]?
        if preview { jpegPreview = try? self.preview(from: upright) }
        return Renditions(thumbnail: thumbnail, preview: jpegPreview, displayedWidth: upright.displayedWidth,
                          displayedHeight: upright.displayedHeight, warnings: upright.warnings)
    }

    /// A 1440 px JPEG for the photo page; never larger than the original.
    public func preview(_ bytes: [UInt8], format: MediaFormat, orientation: Int) throws(IndexProblem) -> [UInt8] {
        try preview(from: UprightDecoder(limits: limits).decode(bytes, format: format, orientation: orientation,
                                                                longEdge: Self.previewEdge))
    }

    private func preview(from upright: UprightPicture) throws(IndexProblem) -> [UInt8] {
        let sized = try upright.picture.resized(toLongEdge: Self.previewEdge)
        return try sized.encoded({ vf_vips_save_jpeg($0, Int32(Self.previewQuality), $1, $2) }, .preview)
    }
}

/// What one decode of a photo made: its thumbnail, perhaps its preview, and what was found on the way.
public struct Renditions: Sendable {
    public var thumbnail: Thumbnail
    /// The 1440 px JPEG, when it came from the same decode; nil leaves it to a preview job.
    public var preview: [UInt8]?
    /// The full image's size as displayed (after orientation).
    public var displayedWidth: Int
    public var displayedHeight: Int
    public var warnings: [IndexProblem]
}

extension SmallPicture {
    /// A decoded JPEG (as stored) scaled to the size the full photo takes at `longEdge`, then turned upright:
    /// scaling first turns fewer pixels, and sizing from the full photo gives one size at any decode scale.
    fileprivate func fitted(full jpeg: ScaledJPEG, longEdge: Int, orientation: Int) throws(IndexProblem) -> SmallPicture {
        let size = Self.fitted(width: jpeg.fullWidth, height: jpeg.fullHeight, longEdge: longEdge)
        return try downscaled(toWidth: size.width, height: size.height).upright(orientation)
    }
}
