import Foundation
import Indexer
import Media
import ViewfinderCore

/// What organising needs to know about one photo: when it was taken (and from where that was read), the camera,
/// the place.
struct PhotoFacts {
    var date: CaptureDate
    var source: DateSource
    var make: String?
    var model: String?
    var gps: GPSPosition?
    /// nil when the bytes are no format the sniffer knows.
    var format: MediaFormat?
    /// EXIF's orientation (the one `--upright` resets), 1 when it has none.
    var orientation: Int
    /// An orientation other than 1 that XMP records (the file's or its sidecar's): a turn would leave it wrong.
    var xmpOrientation: String?
    /// A DateTimeOriginal that is there but reads as no date ("0000:00:00 00:00:00"): `--fix-dates` leaves it.
    var unreadExifDate: String?

    /// Tries EXIF, then XMP (the file's, then its sidecar's), then the file name, then the file time.
    init(photo path: String, sidecar: String?, modifiedAt: Int64) {
        let bytes = try? FileReading.read(path, limit: Int.max)
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        format = bytes.flatMap { try? FormatSniffer.detect($0, fileExtension: ext) }
        let readAs = format ?? .jpeg
        let embedded = bytes.flatMap { try? MetadataReader.read($0) } ?? RawMetadata()
        let beside = sidecar.flatMap { try? FileReading.read($0, limit: 16 << 20) }.flatMap { try? MetadataReader.read($0) }
        var exifOnly = RawMetadata()
        exifOnly.values = embedded.values.filter { $0.key.hasPrefix("Exif.") }
        let metadata = MetadataInterpreter.interpret(embedded: embedded, sidecar: beside, format: readAs)
        (make, model, gps) = (metadata.make, metadata.model, metadata.gps)
        let name = URL(fileURLWithPath: path).lastPathComponent
        let exif = MetadataInterpreter.interpret(embedded: exifOnly, sidecar: nil, format: readAs)
        orientation = exif.orientation
        xmpOrientation = [beside?["Xmp.tiff.Orientation"], embedded["Xmp.tiff.Orientation"]].compactMap { $0 }
            .first { $0.trimmingCharacters(in: .whitespaces) != "1" }
        unreadExifDate = exif.taken == nil ? embedded["Exif.Photo.DateTimeOriginal"] : nil
        if let taken = exif.taken,
           let date = CaptureDate(iso: taken) {
            (self.date, source) = (date, .exif)
        } else if let taken = metadata.taken, let date = CaptureDate(iso: taken) {
            (self.date, source) = (date, .xmp)
        } else if let date = FileNameDate.date(in: name) {
            (self.date, source) = (date, .fileName)
        } else {
            (self.date, source) = (CaptureDate(fileTime: modifiedAt), .fileTime)
        }
    }

    /// "Canon EOS 5D" rather than "Canon Canon EOS 5D"; nil when the file names no camera.
    var camera: String? {
        guard let model else { return make }
        guard let make, !model.lowercased().hasPrefix(make.lowercased().split(separator: " ").first.map(String.init) ?? make.lowercased()) else { return model }
        return make + " " + model
    }
}
