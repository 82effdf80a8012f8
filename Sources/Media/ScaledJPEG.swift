import CShims
import ViewfinderCore

/// A JPEG decoded by libjpeg-turbo at the smallest n/8 scale that still covers a size: DCT-domain scaling,
/// so a 12 MP photo becomes 500×375 without ever existing at full size.
struct ScaledJPEG {
    var rgb: [UInt8]
    var width: Int
    var height: Int
    var fullWidth: Int
    var fullHeight: Int
    var iccProfile: [UInt8]?
    var damage: IndexProblem?

    /// True when the pixels are sRGB already (no profile, or an sRGB one), so no colour transform is due.
    var isSRGB: Bool {
        guard let iccProfile else { return true }
        return iccProfile.withUnsafeBufferPointer { vf_icc_is_srgb($0.baseAddress, $0.count) } != 0
    }

    /// nil when libjpeg cannot produce RGB (CMYK, YCCK): libvips handles those with their profile.
    static func decode(_ bytes: [UInt8], atLeast longEdge: Int, limits: IndexingLimits) throws(IndexProblem) -> ScaledJPEG? {
        var decoded = vf_jpeg_image()
        let status = bytes.withUnsafeBufferPointer {
            vf_jpeg_decode_scaled($0.baseAddress, $0.count, Int32(longEdge), limits.maxPixels, &decoded)
        }
        defer { vf_jpeg_image_free(&decoded) }
        let message = withUnsafeBytes(of: decoded.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        switch Int(status) {
        case VF_JPEG_UNSUPPORTED: return nil
        case VF_JPEG_TOO_LARGE:
            throw IndexProblem(.decode, "refused: \(message) (\(limits.maxPixels / 1_000_000) megapixel limit; a decompression bomb or a huge scan)")
        case VF_JPEG_OK: break
        default: throw IndexProblem(.decode, "JPEG cannot be decoded: \(message)")
        }
        var damage: IndexProblem?
        if decoded.warnings > 0 {
            let truncated = message.localizedCaseInsensitiveContains("premature end")
            damage = IndexProblem(.decode, .warning, truncated
                ? "truncated JPEG, the missing part of the picture shows grey: \(message)"
                : "damaged JPEG data, decoded anyway: \(message)")
        }
        return ScaledJPEG(
            rgb: Array(UnsafeBufferPointer(start: decoded.pixels, count: Int(decoded.width) * Int(decoded.height) * 3)),
            width: Int(decoded.width), height: Int(decoded.height),
            fullWidth: Int(decoded.full_width), fullHeight: Int(decoded.full_height),
            iccProfile: decoded.icc.map { Array(UnsafeBufferPointer(start: $0, count: Int(decoded.icc_length))) },
            damage: damage)
    }

    /// The full image's size as displayed.
    func displayedSize(orientation: Int) -> (width: Int, height: Int) {
        orientation >= 5 ? (fullHeight, fullWidth) : (fullWidth, fullHeight)
    }
}
