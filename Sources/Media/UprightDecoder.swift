import CShims
import CVips
import ViewfinderCore

/// A decoded picture turned upright and into sRGB, at least as large as asked (where the source allows).
struct UprightPicture {
    var picture: VipsPicture
    /// The full image's size as displayed (after orientation), not the decoded size.
    var displayedWidth: Int
    var displayedHeight: Int
    var warnings: [IndexProblem]
}

/// Decodes just enough pixels: JPEGs through libjpeg-turbo's DCT-domain scaling (the cheapest route to a
/// small picture), everything else through libvips' shrink-on-load, RAW files through their embedded preview.
struct UprightDecoder {
    var limits: IndexingLimits

    func decode(_ bytes: [UInt8], format: MediaFormat, orientation: Int, longEdge: Int) throws(IndexProblem) -> UprightPicture {
        if format.decodesThroughPreview {
            let preview = try MetadataReader.largestPreview(bytes)
            let previewFormat: MediaFormat
            do { previewFormat = try FormatSniffer.detect(preview, fileExtension: "") } catch {
                throw IndexProblem(.decode, "RAW preview is not a picture: \(error.reason)")
            }
            return try decode(preview, format: previewFormat, orientation: orientation, longEdge: longEdge)
        }
        if format.isJPEGFamily, let picture = try decodeJPEG(bytes, orientation: orientation, longEdge: longEdge) {
            return picture
        }
        return try decodeWithVips(bytes, format: format, orientation: orientation, longEdge: longEdge)
    }

    /// nil when libjpeg cannot produce RGB (CMYK, YCCK): libvips handles those with their profile.
    private func decodeJPEG(_ bytes: [UInt8], orientation: Int, longEdge: Int) throws(IndexProblem) -> UprightPicture? {
        guard let decoded = try ScaledJPEG.decode(bytes, atLeast: longEdge, limits: limits) else { return nil }
        return try upright(decoded, orientation: orientation)
    }

    /// A scaled JPEG as an upright sRGB libvips picture (colour-managed when its profile is not sRGB).
    func upright(_ decoded: ScaledJPEG, orientation: Int) throws(IndexProblem) -> UprightPicture {
        var picture = try VipsPicture.make(.decode, "wrapping pixels failed") { output in
            guard let image = vips_image_new_from_memory_copy(
                decoded.rgb, decoded.rgb.count, Int32(decoded.width), Int32(decoded.height), 3, VIPS_FORMAT_UCHAR)
            else { return -1 }
            output.pointee = image
            return 0
        }
        if let icc = decoded.iccProfile, !decoded.isSRGB {
            vips_image_set_blob_copy(picture.image, "icc-profile-data", icc, icc.count)
            picture = try picture.transformed(.decode, "colour management failed") { vf_vips_to_srgb($0, $1) }
        }
        if orientation != 1 {
            picture = try picture.transformed(.decode, "rotation failed") { vf_vips_autorotate($0, Int32(orientation), $1) }
        }
        let size = decoded.displayedSize(orientation: orientation)
        return UprightPicture(picture: picture, displayedWidth: size.width, displayedHeight: size.height,
                              warnings: decoded.damage.map { [$0] } ?? [])
    }

    private func decodeWithVips(_ bytes: [UInt8], format: MediaFormat, orientation: Int, longEdge: Int) throws(IndexProblem) -> UprightPicture {
        if let declared = DeclaredSize.read(bytes, format: format) {
            try refuseIfTooLarge(width: declared.width, height: declared.height)
        }
        let (header, headerOrientation) = try bytes.withUnsafeBufferPointer { buffer throws(IndexProblem) in
            let header = try VipsPicture.make(.decode, "corrupt \(format.rawValue.uppercased()) data") { output in
                output.pointee = vf_vips_header_from_buffer(buffer.baseAddress, buffer.count)
                return output.pointee == nil ? -1 : 0
            }
            var value: Int32 = 1
            return (header, vf_vips_int_field(header.image, "orientation", &value) == 0 ? Int(value) : 1)
        }
        guard header.width > 0, header.height > 0 else {
            throw IndexProblem(.decode, "image declares an empty size (\(header.width)x\(header.height))")
        }
        try refuseIfTooLarge(width: header.width, height: header.height)
        var warnings = [IndexProblem]()
        var picture: VipsPicture
        do {
            picture = try thumbnail(bytes, longEdge: longEdge, strict: true).inMemory(.decode)
        } catch {
            // Keep what can be seen of a damaged file, and say that it is damaged.
            picture = try thumbnail(bytes, longEdge: longEdge, strict: false).inMemory(.decode)
            warnings.append(IndexProblem(.decode, .warning, "damaged image data, part of the picture may be missing: \(error.reason)"))
        }
        var width = header.width, height = header.height
        if headerOrientation >= 5 { swap(&width, &height) }
        // libvips applies EXIF orientation itself, and libheif the HEIF irot/imir boxes (which outrank any
        // EXIF tag in HEIF files); an orientation that only XMP states is ours to apply.
        if headerOrientation == 1, orientation != 1, !format.transformsItself {
            picture = try picture.transformed(.decode, "rotation failed") { vf_vips_autorotate($0, Int32(orientation), $1) }
            if orientation >= 5 { swap(&width, &height) }
        }
        picture = try picture.transformed(.decode, "colour conversion failed") { vf_vips_to_srgb($0, $1) }
        return UprightPicture(picture: picture, displayedWidth: width, displayedHeight: height, warnings: warnings)
    }

    private func refuseIfTooLarge(width: Int, height: Int) throws(IndexProblem) {
        guard UInt64(width) * UInt64(height) <= limits.maxPixels else {
            throw IndexProblem(.decode, "refused: image declares \(width)x\(height) pixels (\(limits.maxPixels / 1_000_000) megapixel limit; a decompression bomb or a huge scan)")
        }
    }

    private func thumbnail(_ bytes: [UInt8], longEdge: Int, strict: Bool) throws(IndexProblem) -> VipsPicture {
        try bytes.withUnsafeBufferPointer { buffer throws(IndexProblem) in
            try VipsPicture.make(.decode, "cannot be decoded") { output in
                output.pointee = vf_vips_thumbnail_buffer(buffer.baseAddress, buffer.count, Int32(longEdge), strict ? 1 : 0)
                return output.pointee == nil ? -1 : 0
            }
        }
    }
}
