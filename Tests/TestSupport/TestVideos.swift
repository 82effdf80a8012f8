import Foundation

/// Real short videos made by Debian's ffmpeg, with QuickTime metadata written by exiftool, as phones write it.
public enum TestVideos {
    /// What the tests write into the MP4 and expect back.
    public static let taken = "2019:06:14 18:30:12+02:00"
    public static let make = "Apple"
    public static let model = "iPhone 12"
    public static let latitude = 48.8584, longitude = 2.2945
    public static let contentIdentifier = "7D9F6E2A-1B3C-4D5E-8F90-A1B2C3D4E5F6"

    /// Why videos cannot be made here, or nil when ffmpeg, ffprobe and exiftool are all installed.
    public static var missingTools: String? {
        let missing = ["ffmpeg", "ffprobe", "exiftool"].filter { programPath($0) == nil }
        return missing.isEmpty ? nil : "\(missing.joined(separator: ", ")) not installed (scripts/setup.sh installs ffmpeg and exiftool)"
    }

    /// exiftool 12 has no name for Apple's content identifier key; this teaches it one.
    static let exiftoolConfig = """
        %Image::ExifTool::UserDefined = (
            'Image::ExifTool::QuickTime::Keys' => {
                'content.identifier' => { Name => 'ContentIdentifier', Writable => 'string' },
            },
        );
        1;
        """

    /// Makes, in `folder`: `phone.mp4` (3 s, 320×240 H.264, every QuickTime key above), `turned.mov` (3 s, shown
    /// turned a quarter: 240×320), `short.mkv` (1 s Matroska). Returns their paths by name.
    @discardableResult
    public static func make(in folder: URL) throws -> [String: String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ffmpeg = programPath("ffmpeg")!, exiftool = programPath("exiftool")!
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func run(_ tool: String, _ arguments: [String]) throws {
            let result = try runProgram(tool, arguments)
            guard result.status == 0 else { throw VideoMakingFailed(message: "\(tool) \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        func video(_ name: String, seconds: Int) throws {
            try run(ffmpeg, ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=\(seconds)",
                             "-c:v", "libx264", "-pix_fmt", "yuv420p", path(name)])
        }
        try video("phone.mp4", seconds: 3)
        try video("turned.mov", seconds: 3)
        try video("short.mkv", seconds: 1)
        let config = path(".exiftool-config")
        try exiftoolConfig.write(toFile: config, atomically: true, encoding: .utf8)
        try run(exiftool, ["-config", config, "-overwrite_original", "-Keys:CreationDate=\(taken)", "-Keys:Make=\(make)",
                           "-Keys:Model=\(model)", "-Keys:GPSCoordinates=\(latitude), \(longitude), 35",
                           "-Keys:ContentIdentifier=\(contentIdentifier)", path("phone.mp4")])
        try run(exiftool, ["-overwrite_original", "-Rotation=90", path("turned.mov")])
        try FileManager.default.removeItem(atPath: config)
        return Dictionary(uniqueKeysWithValues: ["phone.mp4", "turned.mov", "short.mkv"].map { ($0, path($0)) })
    }

    /// ffprobe's own reading of a file, for tests to compare against.
    public static func ffprobe(_ path: String) throws -> [String: Any] {
        let result = try runProgram(programPath("ffprobe")!, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }
}

public struct VideoMakingFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
