import CShims
import ViewfinderCore

/// An interleaved 8-bit sRGB picture in plain memory, worked on by the C shims without libvips: for the
/// common case (a JPEG already in sRGB) libvips' per-operation machinery costs more than the work itself.
struct SmallPicture {
    var rgb: [UInt8]
    var width: Int
    var height: Int

    func upright(_ orientation: Int) -> SmallPicture {
        guard orientation != 1, (2...8).contains(orientation) else { return self }
        var turned = [UInt8](repeating: 0, count: rgb.count)
        var width: Int32 = 0, height: Int32 = 0
        rgb.withUnsafeBufferPointer { source in
            turned.withUnsafeMutableBufferPointer { target in
                _ = vf_rgb_orient(source.baseAddress, Int32(self.width), Int32(self.height), Int32(orientation),
                                  target.baseAddress, &width, &height)
            }
        }
        return SmallPicture(rgb: turned, width: Int(width), height: Int(height))
    }

    /// The size a picture of `width`×`height` takes with its long edge at most `longEdge` (never larger).
    static func fitted(width: Int, height: Int, longEdge: Int) -> (width: Int, height: Int) {
        let long = max(width, height)
        guard long > longEdge else { return (width, height) }
        return (max(1, (width * longEdge + long / 2) / long), max(1, (height * longEdge + long / 2) / long))
    }

    /// Area-averaged down to `longEdge` (never up).
    func downscaled(toLongEdge longEdge: Int) throws(IndexProblem) -> SmallPicture {
        let size = Self.fitted(width: width, height: height, longEdge: longEdge)
        return try downscaled(toWidth: size.width, height: size.height)
    }

    /// Area-averaged down to exactly `newWidth`×`newHeight`: sizes worked out from the full photo, so a
    /// thumbnail has one size whichever scale the photo was decoded at.
    func downscaled(toWidth newWidth: Int, height newHeight: Int) throws(IndexProblem) -> SmallPicture {
        guard newWidth != width || newHeight != height else { return self }
        var scaled = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        let status = rgb.withUnsafeBufferPointer { source in
            scaled.withUnsafeMutableBufferPointer { target in
                vf_rgb_downscale(source.baseAddress, Int32(width), Int32(height), target.baseAddress,
                                 Int32(newWidth), Int32(newHeight))
            }
        }
        guard status == 0 else { throw IndexProblem(.thumbnail, "cannot scale \(width)x\(height) to \(newWidth)x\(newHeight)") }
        return SmallPicture(rgb: scaled, width: newWidth, height: newHeight)
    }

    func webp(quality: Float) throws(IndexProblem) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = rgb.withUnsafeBufferPointer {
            vf_webp_encode_rgb($0.baseAddress, Int32(width), Int32(height), quality, 0, &output, &length)
        }
        guard status == 0, let output else { throw IndexProblem(.thumbnail, "WebP encoding failed") }
        defer { vf_webp_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }

    func jpeg(quality: Int) throws(IndexProblem) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = rgb.withUnsafeBufferPointer {
            vf_jpeg_encode_rgb($0.baseAddress, Int32(width), Int32(height), Int32(quality), &output, &length)
        }
        guard status == 0, let output else { throw IndexProblem(.preview, "JPEG encoding failed") }
        defer { vf_jpeg_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }

    var rgba: [UInt8] {
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for pixel in 0..<(width * height) {
            rgba[pixel * 4] = rgb[pixel * 3]
            rgba[pixel * 4 + 1] = rgb[pixel * 3 + 1]
            rgba[pixel * 4 + 2] = rgb[pixel * 3 + 2]
        }
        return rgba
    }
}
