import ViewfinderCore

/// Decides what a file is from its first bytes; the name is consulted only to tell camera RAW
/// files from plain TIFFs, which share one container.
public enum FormatSniffer {
    /// File name extensions the crawler treats as candidate photos (content still decides).
    public static let photoExtensions: Set<String> = Set([
        "jpg", "jpeg", "jpe", "jfif", "mpo", "heic", "heif", "hif", "avif", "png", "webp", "tif", "tiff", "gif",
        "jp2", "j2k", "jpf",
    ]).union(rawExtensions)

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
        default: nil
        }
    }

    /// How many leading bytes `detect` looks at.
    public static let headerLength = 64

    public static func detect(_ bytes: some Collection<UInt8>, fileExtension: String) throws(IndexProblem) -> MediaFormat {
        let header = Array(bytes.prefix(headerLength))
        let ext = fileExtension.lowercased()
        guard !header.isEmpty else { throw IndexProblem(.detect, "empty file (0 bytes)") }
        if header.starts(with: [0xFF, 0xD8, 0xFF]) { return ext == "mpo" ? .mpo : .jpeg }
        if header.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if header.starts(with: Array("GIF87a".utf8)) || header.starts(with: Array("GIF89a".utf8)) { return .gif }
        if header.starts(with: Array("RIFF".utf8)), header.count >= 12 {
            let kind = String(decoding: header[8..<12], as: UTF8.self)
            if kind == "WEBP" { return .webp }
            throw IndexProblem(.detect, "not a photo: RIFF '\(kind.withoutPadding)' data (\(kind == "AVI " ? "AVI video" : "not WebP"))")
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
        throw IndexProblem(.detect, "not a photo: ISO media file with brand '\(brands[0].withoutPadding)' (a video or other MP4 data)")
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
