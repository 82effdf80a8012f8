import ViewfinderCore

/// The upright sRGB pixels the models look at: 640 px on the long edge, enough for text and small faces.
public struct VisionPicture: Sendable {
    public static let longEdge = 640

    public var rgb: [UInt8]
    public var width: Int
    public var height: Int
}

extension Thumbnailer {
    /// From the stored preview when there is one (already upright and sRGB: a cheap scaled decode),
    /// else from the original.
    public func visionPicture(preview: [UInt8]?, original: () throws(IndexProblem) -> [UInt8], format: MediaFormat,
                              orientation: Int) throws(IndexProblem) -> VisionPicture {
        if let preview, let jpeg = try ScaledJPEG.decode(preview, atLeast: VisionPicture.longEdge, limits: limits), jpeg.isSRGB {
            let small = try SmallPicture(rgb: jpeg.rgb, width: jpeg.width, height: jpeg.height)
                .downscaled(toLongEdge: VisionPicture.longEdge)
            return VisionPicture(rgb: small.rgb, width: small.width, height: small.height)
        }
        let upright = try UprightDecoder(limits: limits)
            .decode(try original(), format: format, orientation: orientation, longEdge: VisionPicture.longEdge)
        let sized = try upright.picture.resized(toLongEdge: VisionPicture.longEdge)
        let rgb = try sized.rgbBytes()
        guard rgb.count == sized.width * sized.height * 3 else {
            throw IndexProblem(.vision, "decoded \(rgb.count) bytes for a \(sized.width)x\(sized.height) RGB picture")
        }
        return VisionPicture(rgb: rgb, width: sized.width, height: sized.height)
    }
}
