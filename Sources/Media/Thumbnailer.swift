import CShims
import ViewfinderCore

/// The small pictures a photo is shown by: a 256 px WebP thumbnail and its ThumbHash placeholder.
public struct Thumbnail: Sendable, Equatable {
    public var webp: [UInt8]
    public var thumbhash: [UInt8]
    public var width: Int
    public var height: Int
}

/// Makes thumbnails and previews, upright and in sRGB, from a photo's bytes.
public struct Thumbnailer: Sendable {
    public static let thumbnailEdge = 256
    public static let previewEdge = 1440

    let limits: IndexingLimits

    public init(limits: IndexingLimits = IndexingLimits()) { self.limits = limits }

    /// Returns the thumbnail, the photo's displayed size, and any damage found while decoding.
    public func thumbnail(_ bytes: [UInt8], format: MediaFormat, orientation: Int) throws(IndexProblem)
        -> (thumbnail: Thumbnail, displayedWidth: Int, displayedHeight: Int, warnings: [IndexProblem]) {
        let decoder = UprightDecoder(limits: limits)
        if format.isJPEGFamily, let jpeg = try ScaledJPEG.decode(bytes, atLeast: Self.thumbnailEdge, limits: limits) {
            if jpeg.isSRGB {
                // The common case: no libvips at all between the DCT-scaled decode and the WebP.
                let small = try SmallPicture(rgb: jpeg.rgb, width: jpeg.width, height: jpeg.height)
                    .upright(orientation).downscaled(toLongEdge: Self.thumbnailEdge)
                let tiny = try small.downscaled(toLongEdge: 100)
                let size = jpeg.displayedSize(orientation: orientation)
                let thumbnail = Thumbnail(
                    webp: try small.webp(quality: 75), thumbhash: ThumbHash.encode(width: tiny.width, height: tiny.height, rgba: tiny.rgba),
                    width: small.width, height: small.height)
                return (thumbnail, size.width, size.height, jpeg.damage.map { [$0] } ?? [])
            }
            return try thumbnail(from: decoder.upright(jpeg, orientation: orientation))
        }
        return try thumbnail(from: decoder.decode(bytes, format: format, orientation: orientation, longEdge: Self.thumbnailEdge))
    }

    private func thumbnail(from upright: UprightPicture) throws(IndexProblem)
        -> (thumbnail: Thumbnail, displayedWidth: Int, displayedHeight: Int, warnings: [IndexProblem]) {
        let small = try upright.picture.resized(toLongEdge: Self.thumbnailEdge).inMemory(.thumbnail)
        let webp = try small.encoded({ vf_vips_save_webp($0, 75, $1, $2) }, .thumbnail)
        let tiny = try small.resized(toLongEdge: 100)
        let tinyPicture = SmallPicture(rgb: try tiny.rgbBytes(), width: tiny.width, height: tiny.height)
        let thumbnail = Thumbnail(
            webp: webp, thumbhash: ThumbHash.encode(width: tinyPicture.width, height: tinyPicture.height, rgba: tinyPicture.rgba),
            width: small.width, height: small.height)
        return (thumbnail, upright.displayedWidth, upright.displayedHeight, upright.warnings)
    }

    /// A 1440 px JPEG for the photo page; never larger than the original.
    public func preview(_ bytes: [UInt8], format: MediaFormat, orientation: Int) throws(IndexProblem) -> [UInt8] {
        let upright = try UprightDecoder(limits: limits)
            .decode(bytes, format: format, orientation: orientation, longEdge: Self.previewEdge)
        let sized = try upright.picture.resized(toLongEdge: Self.previewEdge)
        return try sized.encoded({ vf_vips_save_jpeg($0, 82, $1, $2) }, .preview)
    }
}
