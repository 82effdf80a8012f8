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
        let upright = try UprightDecoder(limits: limits)
            .decode(bytes, format: format, orientation: orientation, longEdge: Self.thumbnailEdge)
        let small = try upright.picture.resized(toLongEdge: Self.thumbnailEdge).inMemory(.thumbnail)
        let webp = try small.encoded({ vf_vips_save_webp($0, 75, $1, $2) }, .thumbnail)
        let tiny = try small.resized(toLongEdge: 100)
        let rgb = try tiny.rgbBytes()
        var rgba = [UInt8](repeating: 255, count: tiny.width * tiny.height * 4)
        for pixel in 0..<(tiny.width * tiny.height) {
            rgba[pixel * 4] = rgb[pixel * 3]
            rgba[pixel * 4 + 1] = rgb[pixel * 3 + 1]
            rgba[pixel * 4 + 2] = rgb[pixel * 3 + 2]
        }
        let thumbnail = Thumbnail(
            webp: webp, thumbhash: ThumbHash.encode(width: tiny.width, height: tiny.height, rgba: rgba),
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
