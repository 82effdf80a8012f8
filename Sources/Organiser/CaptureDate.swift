import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a planned photo's date came from, best first.
public enum DateSource: String, Codable, Sendable {
    /// EXIF DateTimeOriginal (with OffsetTimeOriginal when the camera wrote one).
    case exif
    /// XMP or IPTC (QuickTime dates reach exiv2 as XMP), in the file or its sidecar.
    case xmp
    /// A date in the file's name (IMG_20190614_183012.jpg, PXL_…, Screenshot_…, IMG-20190614-WA0001.jpg).
    case fileName = "file-name"
    /// The file's modification time, in this machine's time zone.
    case fileTime = "file-time"
}

/// A local capture time as cameras record it: the wall clock, and the offset from UTC when it is known.
public struct CaptureDate: Sendable, Equatable {
    public var year, month, day, hour, minute, second: Int
    /// "+02:00", "Z", or nil when the file did not say.
    public var offset: String?

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, offset: String? = nil) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second, self.offset) = (year, month, day, hour, minute, second, offset)
    }

    /// Reads the ISO 8601 form the metadata interpreter gives ("2019-06-14T18:30:12+02:00").
    public init?(iso text: String) {
        let digits = text.prefix(19).split(whereSeparator: { "-:T ".contains($0) }).compactMap { Int($0) }
        guard digits.count == 6 else { return nil }
        let rest = text.dropFirst(19)
        self.init(year: digits[0], month: digits[1], day: digits[2], hour: digits[3], minute: digits[4], second: digits[5],
                  offset: rest.isEmpty ? nil : String(rest))
    }

    /// A file time (nanoseconds since 1970) as this machine's wall clock, with its offset.
    public init(fileTime nanoseconds: Int64) {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let minutes = Int(parts.tm_gmtoff) / 60
        let sign = minutes < 0 ? "-" : "+"
        self.init(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                  hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec),
                  offset: String(format: "%@%02d:%02d", sign, abs(minutes) / 60, abs(minutes) % 60))
    }

    public var iso: String {
        String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second) + (offset ?? "")
    }

    /// The wall clock moved by `seconds` (a camera set an hour wrong), across days, months and years.
    public func shifted(by seconds: Int) -> CaptureDate {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        var moved = timegm(&parts) + time_t(seconds)
        var result = tm()
        gmtime_r(&moved, &result)
        return CaptureDate(year: Int(result.tm_year) + 1900, month: Int(result.tm_mon) + 1, day: Int(result.tm_mday),
                           hour: Int(result.tm_hour), minute: Int(result.tm_min), second: Int(result.tm_sec), offset: offset)
    }
}
