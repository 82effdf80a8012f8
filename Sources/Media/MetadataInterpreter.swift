import ViewfinderCore

/// Turns exiv2's raw values into the fields people search by, following the Metadata Working
/// Group's reconciliation rules where EXIF, IPTC and XMP disagree.
public enum MetadataInterpreter {
    /// Descriptions that cameras write by themselves; they say nothing about the picture.
    static let cameraPlaceholders: Set<String> = [
        "OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA",
        "MINOLTA DIGITAL CAMERA", "SAMSUNG", "SAMSUNG DIGITAL CAMERA", "PENTAX", "DCIM", "Exif_JPEG_PICTURE",
        "Default", "default", "LEICA", "Camera",
    ]

    /// - Parameters:
    ///   - embedded: what the photo file carries.
    ///   - sidecar: an XMP sidecar beside it, whose user-written fields (description, keywords, rating) win.
    public static func interpret(embedded: RawMetadata, sidecar: RawMetadata?, format: MediaFormat) -> PhotoMetadata {
        let raw = sidecar.map { embedded.overlaid(by: $0) } ?? embedded
        var metadata = PhotoMetadata(format: format)
        metadata.make = text(raw, "Exif.Image.Make", "Xmp.tiff.Make")
        metadata.model = text(raw, "Exif.Image.Model", "Xmp.tiff.Model")
        metadata.lens = text(raw, "Exif.Photo.LensModel", "Xmp.exifEX.LensModel", "Xmp.aux.Lens")
        metadata.focalLength = positive(raw, "Exif.Photo.FocalLength", "Xmp.exif.FocalLength")
        metadata.fNumber = positive(raw, "Exif.Photo.FNumber", "Xmp.exif.FNumber")
        metadata.exposureTime = positive(raw, "Exif.Photo.ExposureTime", "Xmp.exif.ExposureTime")
        metadata.iso = first(raw, "Exif.Photo.ISOSpeedRatings", "Xmp.exif.ISOSpeedRatings")
            .flatMap { ExifValue.numbers($0).first }.flatMap(wholeNumber).flatMap { $0 > 0 ? $0 : nil }
        metadata.orientation = first(raw, "Exif.Image.Orientation", "Xmp.tiff.Orientation")
            .flatMap { Int($0.trimmed) }.flatMap { (1...8).contains($0) ? $0 : nil } ?? 1
        metadata.taken = captureTime(raw)
        metadata.gps = gpsPosition(raw)
        metadata.rating = first(raw, "Xmp.xmp.Rating", "Exif.Image.Rating")
            .flatMap { Double($0.trimmed) }.flatMap { wholeNumber($0.rounded()) }.flatMap { (-1...5).contains($0) ? $0 : nil }
        metadata.description = description(embedded: embedded, sidecar: sidecar)
        metadata.keywords = keywords(embedded: embedded, sidecar: sidecar)
        let apple = raw["Exif.Photo.MakerNote"].flatMap { AppleMakerNote(exiv2Text: $0) }
        metadata.contentIdentifier = apple?.contentIdentifier
        metadata.burstIdentifier = apple?.burstIdentifier ?? text(raw, "Xmp.GCamera.BurstID", "Xmp.GCreations.CameraBurstID")
        return metadata
    }

    // MWG: EXIF ImageDescription, then IPTC Caption-Abstract, then XMP dc:description; a sidecar's word is last and final.
    static func description(embedded: RawMetadata, sidecar: RawMetadata?) -> String? {
        if let written = sidecar.flatMap({ text($0, "Xmp.dc.description") }) { return written }
        for key in ["Exif.Image.ImageDescription", "Iptc.Application2.Caption", "Xmp.dc.description"] {
            if let value = text(embedded, key), !cameraPlaceholders.contains(value) { return value }
        }
        return nil
    }

    // MWG: XMP dc:subject, else IPTC Keywords; a sidecar's list replaces the embedded one.
    static func keywords(embedded: RawMetadata, sidecar: RawMetadata?) -> [String] {
        for source in [sidecar, embedded].compactMap({ $0 }) {
            for key in ["Xmp.dc.subject", "Iptc.Application2.Keywords"] {
                let words = (source.values[key] ?? []).map(\.trimmed).filter { !$0.isEmpty }
                if !words.isEmpty { return unique(words) }
            }
        }
        return []
    }

    static func captureTime(_ raw: RawMetadata) -> String? {
        if let exif = ExifValue.dateTime(raw["Exif.Photo.DateTimeOriginal"], offset: raw["Exif.Photo.OffsetTimeOriginal"]) {
            return exif
        }
        for key in ["Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated"] {
            if let value = ExifValue.isoDateTime(raw[key]) { return value }
        }
        if let date = raw["Iptc.Application2.DateCreated"],
           let value = ExifValue.isoDateTime(date + (raw["Iptc.Application2.TimeCreated"].map { "T" + $0 } ?? "")) {
            return value
        }
        return ExifValue.dateTime(raw["Exif.Photo.DateTimeDigitized"], offset: raw["Exif.Photo.OffsetTimeDigitized"])
    }

    static func gpsPosition(_ raw: RawMetadata) -> GPSPosition? {
        guard let lat = ExifValue.degrees(raw["Exif.GPSInfo.GPSLatitude"], reference: raw["Exif.GPSInfo.GPSLatitudeRef"]),
              let lon = ExifValue.degrees(raw["Exif.GPSInfo.GPSLongitude"], reference: raw["Exif.GPSInfo.GPSLongitudeRef"]),
              abs(lat) <= 90, abs(lon) <= 180
        else {
            guard let lat = ExifValue.xmpDegrees(raw["Xmp.exif.GPSLatitude"]),
                  let lon = ExifValue.xmpDegrees(raw["Xmp.exif.GPSLongitude"]) else { return nil }
            var altitude = raw["Xmp.exif.GPSAltitude"].flatMap { ExifValue.numbers($0).first }
            if raw["Xmp.exif.GPSAltitudeRef"]?.trimmed == "1" { altitude = altitude.map { -$0 } }
            return GPSPosition(lat: lat, lon: lon, alt: altitude)
        }
        var altitude = raw["Exif.GPSInfo.GPSAltitude"].flatMap { ExifValue.numbers($0).first }
        if raw["Exif.GPSInfo.GPSAltitudeRef"]?.trimmed == "1" { altitude = altitude.map { -$0 } }
        return GPSPosition(lat: lat, lon: lon, alt: altitude)
    }

    private static func first(_ raw: RawMetadata, _ keys: String...) -> String? {
        keys.lazy.compactMap { raw[$0] }.first { !$0.trimmed.isEmpty }
    }

    private static func text(_ raw: RawMetadata, _ keys: String...) -> String? {
        keys.lazy.compactMap { raw[$0]?.trimmed }.first { !$0.isEmpty }
    }

    private static func positive(_ raw: RawMetadata, _ keys: String...) -> Double? {
        keys.lazy.compactMap { raw[$0].flatMap { ExifValue.numbers($0).first } }.first { $0 > 0 && $0.isFinite }
    }

    /// XMP is text: "1e999" and "nan" are numbers there, and `Int(_:)` traps on them (found by MetadataFuzz).
    private static func wholeNumber(_ value: Double) -> Int? { Int(exactly: value.rounded(.towardZero)) }

    private static func unique(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }
}

extension String {
    /// Without surrounding blanks and the NUL padding cameras leave in fixed-size fields.
    var trimmed: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func blank(_ s: Unicode.Scalar) -> Bool { s == "\0" || s.properties.isWhitespace }
        while start < end, blank(scalars[start]) { start = scalars.index(after: start) }
        while end > start, blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
