import ViewfinderCore

/// Decides what a file is from its first bytes; the name is consulted only to tell camera RAW
/// files from plain TIFFs, which share one container, and to refuse a video that calls itself a photo.
public enum FormatSniffer {
    /// File name extensions the crawler treats as candidate photos (content still decides).
    public static let photoExtensions: Set<String> = Set([
        "jpg", "jpeg", "jpe", "jfif", "mpo", "heic", "heif", "hif", "avif", "png", "webp", "tif", "tiff", "gif",
        "jp2", "j2k", "jpf",
    ]).union(rawExtensions)

    /// File name extensions the crawler treats as candidate videos (content still decides).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "qt", "3gp", "3g2", "mkv", "avi", "mts", "m2ts"]

    static let rawExtensions: Set<String> = [
        "nef", "nrw", "cr2", "cr3", "crw", "arw", "srf", "sr2", "rw2", "raf", "orf", "dng", "pef", "srw", "x3f",
        "3fr", "erf", "kdc", "mrw", "raw", "rwl", "iiq",
    ]

    /// The format a file's name promises, for telling the user when the content disagrees.
    public static func formatNamed(byExtension ext: String) -> MediaFormat? {
        switch ext.lowercased() {
        case "jpg", "jpeg", "jpe", "jfif": .jpeg
        case "mpo": .mpo
        case "heic", "heif", "hif": .heic
        case "avif": .avif
        case "png": .png
        case "webp": .webp
        case "tif", "tiff": .tiff
        case "gif": .gif
        case "jp2", "j2k", "jpf": .jpeg2000
        case let other where rawExtensions.contains(other): .raw
        case "mp4", "m4v": .mp4
        case "mov", "qt": .quicktime
        case "3gp", "3g2": .threeGPP
        case "mkv": .matroska
        case "avi": .avi
        case "mts", "m2ts": .mpegTS
        default: nil
        }
    }

    /// How many leading bytes `detect` looks at: enough for a transport stream's second packet.
    public static let headerLength = 256

    public static func detect(_ bytes: some Collection<UInt8>, fileExtension: String) throws(IndexProblem) -> MediaFormat {
        let ext = fileExtension.lowercased()
        let format = try detectContent(Array(bytes.prefix(headerLength)), ext: ext)
        // Photo names are promises a video cannot keep: the photo path would read it whole and find no picture.
        if format.isVideo, let named = formatNamed(byExtension: ext), !named.isVideo {
            throw IndexProblem(.detect, "not a photo: a \(format.rawValue.uppercased()) video named .\(fileExtension) (rename it to index it as a video)")
        }
        return format
    }

    private static func detectContent(_ header: [UInt8], ext: String) throws(IndexProblem) -> MediaFormat {
        guard !header.isEmpty else { throw IndexProblem(.detect, "empty file (0 bytes)") }
        if header.starts(with: [0xFF, 0xD8, 0xFF]) { return ext == "mpo" ? .mpo : .jpeg }
        if header.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if header.starts(with: Array("GIF87a".utf8)) || header.starts(with: Array("GIF89a".utf8)) { return .gif }
        if header.starts(with: Array("RIFF".utf8)), header.count >= 12 {
            let kind = String(decoding: header[8..<12], as: UTF8.self)
            if kind == "WEBP" { return .webp }
            if kind == "AVI " { return .avi }
            throw IndexProblem(.detect, "not a photo: RIFF '\(kind.withoutPadding)' data (not WebP or AVI)")
        }
        // Classic TIFF and BigTIFF, either byte order.
        if header.starts(with: [0x49, 0x49, 0x2A, 0x00]) || header.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || header.starts(with: [0x49, 0x49, 0x2B, 0x00]) || header.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            return rawExtensions.contains(ext) ? .raw : .tiff
        }
        // Panasonic RW2 and Olympus ORF use their own TIFF magic numbers; Fujifilm RAF its own header.
        if header.starts(with: [0x49, 0x49, 0x55, 0x00]) || header.starts(with: Array("IIRO".utf8))
            || header.starts(with: Array("IIRS".utf8)) || header.starts(with: Array("FUJIFILMCCD-RAW".utf8)) {
            return .raw
        }
        if header.starts(with: [0xFF, 0x4F, 0xFF, 0x51])
            || header.starts(with: [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]) {
            return .jpeg2000
        }
        if header.count >= 12, header[4..<8].elementsEqual("ftyp".utf8) { return try isoMedia(header) }
        // Old QuickTime files start with a movie, data or padding atom instead of a file type.
        if header.count >= 8, ["moov", "mdat", "wide", "pnot"].contains(String(decoding: header[4..<8], as: UTF8.self)) {
            return .quicktime
        }
        if header.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        // MPEG transport stream: a sync byte every 188 bytes; AVCHD's .MTS puts a 4-byte time code before each.
        if header.count > 196, (header[0] == 0x47 && header[188] == 0x47) || (header[4] == 0x47 && header[196] == 0x47) {
            return .mpegTS
        }
        throw IndexProblem(.detect, "not a photo: \(describeUnknown(header))")
    }

    /// ISO base media files are photos (HEIF, AVIF, Canon CR3) or videos; the brands say which.
    private static func isoMedia(_ header: [UInt8]) throws(IndexProblem) -> MediaFormat {
        let boxSize = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        var brands = [String(decoding: header[8..<12], as: UTF8.self)]
        var offset = 16
        while offset + 4 <= min(boxSize, header.count) {
            brands.append(String(decoding: header[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        if brands.contains("avif") || brands.contains("avis") { return .avif }
        if brands.contains(where: { ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains($0) }) {
            return .heic
        }
        if brands[0] == "crx " { return .raw }
        if brands[0] == "qt  " { return .quicktime }
        if brands[0].hasPrefix("3g") { return .threeGPP }
        // isom, mp41, mp42, M4V, avc1 and the rest: FFmpeg says whether a video stream is inside.
        return .mp4
    }

    private static func describeUnknown(_ header: [UInt8]) -> String {
        let printable = header.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }
        if printable { return "plain text" }
        if header.starts(with: Array("BM".utf8)) { return "BMP image (not supported)" }
        let hex = header.prefix(8).map { String($0, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }
        return "unknown content starting with bytes \(hex.joined(separator: " "))"
    }
}

extension String {
    /// Without the spaces and NULs that pad four-character codes.
    var withoutPadding: String {
        var text = self
        while text.last == " " || text.last == "\0" { text.removeLast() }
        return text
    }
}
