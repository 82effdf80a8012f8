import Foundation
import ViewfinderCore

/// What ffprobe's JSON (`-show_format -show_streams`) says about a video, in the photo domain's terms. Pure:
/// the tests feed it ffprobe's real output.
public enum VideoMetadata {
    private struct Probe: Decodable {
        var format: Format?
        var streams: [Stream]?
    }

    private struct Format: Decodable {
        var duration: String?
        var tags: [String: String]?
    }

    private struct Stream: Decodable {
        var codec_type: String?
        var width: Int?
        var height: Int?
        var duration: String?
        var tags: [String: String]?
        var side_data_list: [SideData]?
        var disposition: [String: Int]?
    }

    private struct SideData: Decodable {
        var rotation: Double?
    }

    /// - Throws: when the JSON is not ffprobe's or holds no video stream (an audio file, a broken container).
    public static func interpret(ffprobeJSON: [UInt8], format: MediaFormat) throws(IndexProblem) -> PhotoMetadata {
        let probe: Probe
        do { probe = try JSONDecoder().decode(Probe.self, from: Data(ffprobeJSON)) } catch {
            throw IndexProblem(.metadata, "ffprobe's answer could not be read: \(error)")
        }
        // Cover art in an MP4 is a one-frame "video" stream; the film is the other one.
        guard let video = probe.streams?.first(where: { $0.codec_type == "video" && $0.disposition?["attached_pic"] != 1 }),
              let width = video.width, let height = video.height, width > 0, height > 0 else {
            throw IndexProblem(.decode, "no video stream in this \(format.rawValue.uppercased()) file")
        }
        var tags = [String: String]()
        // Matroska writes its tags in capitals; stream tags fill what the container lacks.
        for (key, value) in (video.tags ?? [:]).merging(probe.format?.tags ?? [:], uniquingKeysWith: { $1 }) {
            tags[key.lowercased()] = value.trimmingCharacters(in: .whitespaces)
        }
        var metadata = PhotoMetadata(format: format)
        // A hostile tag may say "nan" or "1e400": only a finite turn, taken modulo a full one, becomes a number.
        let turn = rotation(video)
        let turned = turn.isFinite && abs(Int(turn.truncatingRemainder(dividingBy: 360).rounded())) % 180 == 90
        (metadata.width, metadata.height) = turned ? (height, width) : (width, height)
        metadata.duration = [probe.format?.duration, video.duration].lazy.compactMap { $0.flatMap(Double.init) }
            .first { $0.isFinite && $0 > 0 }
        metadata.taken = takenTime(tags)
        metadata.make = nonEmpty(tags["com.apple.quicktime.make"] ?? tags["com.android.manufacturer"] ?? tags["make"])
        metadata.model = nonEmpty(tags["com.apple.quicktime.model"] ?? tags["com.android.model"] ?? tags["model"])
        metadata.gps = (tags["com.apple.quicktime.location.iso6709"] ?? tags["location"]).flatMap(iso6709)
        metadata.contentIdentifier = nonEmpty(tags["com.apple.quicktime.content.identifier"])
        return metadata
    }

    /// Apple's creation date keeps the local time and its offset; QuickTime's own creation_time is UTC.
    static func takenTime(_ tags: [String: String]) -> String? {
        if let local = tags["com.apple.quicktime.creationdate"].flatMap(ExifValue.isoDateTime) { return local }
        // QuickTime counts from 1904: a zero there (or a 1970 zero) means the camera wrote no time.
        guard let utc = (tags["creation_time"] ?? tags["date"]).flatMap(ExifValue.isoDateTime),
              !utc.hasPrefix("1904-01-01"), !utc.hasPrefix("1970-01-01T00:00:00") else { return nil }
        return utc
    }

    /// The display matrix's turn (newer FFmpeg) or the older `rotate` tag, in degrees.
    private static func rotation(_ stream: Stream) -> Double {
        if let turn = stream.side_data_list?.lazy.compactMap(\.rotation).first { return turn }
        return stream.tags?["rotate"].flatMap(Double.init) ?? 0
    }

    /// ISO 6709 as phones write it: "+48.8584+002.2945+035.000/", degrees (±DD.D), or ±DDMM.M / ±DDMMSS.S forms.
    static func iso6709(_ text: String) -> GPSPosition? {
        var fields = [String]()
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character == "+" || character == "-" { fields.append(String(character)) }
            else if character == "/" { break }
            else if character.isNumber || character == ".", !fields.isEmpty { fields[fields.count - 1].append(character) }
            else if character.isLetter { break }  // "CRSxxxx" and beyond: not ours
            else { return nil }
        }
        guard fields.count >= 2, let lat = degrees(fields[0], degreeDigits: 2), let lon = degrees(fields[1], degreeDigits: 3),
              abs(lat) <= 90, abs(lon) <= 180, !(lat == 0 && lon == 0) else { return nil }
        return GPSPosition(lat: lat, lon: lon, alt: fields.count > 2 ? Double(fields[2]).flatMap { $0.isFinite ? $0 : nil } : nil)
    }

    private static func degrees(_ field: String, degreeDigits: Int) -> Double? {
        let sign: Double = field.hasPrefix("-") ? -1 : 1
        let body = field.dropFirst()
        let whole = body.prefix { $0 != "." }
        let fraction = body.dropFirst(whole.count)
        guard let value = Double(body) else { return nil }
        switch whole.count {
        case degreeDigits: return sign * value
        case degreeDigits + 2:  // degrees and minutes
            guard let d = Double(whole.prefix(degreeDigits)), let m = Double(whole.dropFirst(degreeDigits) + fraction), m < 60 else { return nil }
            return sign * (d + m / 60)
        case degreeDigits + 4:  // degrees, minutes and seconds
            guard let d = Double(whole.prefix(degreeDigits)), let m = Double(whole.dropFirst(degreeDigits).prefix(2)),
                  let s = Double(whole.dropFirst(degreeDigits + 2) + fraction), m < 60, s < 60 else { return nil }
            return sign * (d + m / 60 + s / 3600)
        default: return nil
        }
    }

    private static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }

    /// Further moments the models look at, so what a clip shows later is found too: its middle and near its end,
    /// for a clip long enough to differ from its poster.
    public static func laterMoments(duration: Double?) -> [Double] {
        guard let duration, duration >= 3 else { return [] }
        return [duration * 0.5, duration * 0.85]
    }

    /// The moment the poster frame is taken from: after the first second (fades, a shaky start), or the middle of
    /// a shorter clip.
    public static func posterTime(duration: Double?) -> Double {
        guard let duration else { return 0 }
        return duration >= 2 ? 1 : duration / 2
    }
}
