/// Paths as the file system has them. Linux names are bytes; most are UTF-8, but a share written by an old
/// system may hold Latin-1 names. Such bytes are kept in the path's text as one code point each from the last
/// 128 of plane 16's private use area (U+10FF80 + byte - 0x80), so the catalogue, the API and the originals keep
/// the exact name, and every system call gets the bytes back. A name that really holds one of those code points
/// is escaped byte by byte too, so the mapping is exact both ways.
public enum FileSystemPath {
    static let escapes: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The text for a name's bytes (no NUL).
    public static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        // Most names are ASCII: the walker asks this for every entry of every rescan.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let plain = String(validating: bytes, as: UTF8.self), !plain.unicodeScalars.contains(where: { escapes.contains($0.value) }) {
            return plain
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decode(bytes, at: index), !escapes.contains(scalar.value) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(escapes.lowerBound + UInt32(bytes[index]) - 0x80)!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes a path stands for.
    public static func bytes(_ path: String) -> [UInt8] {
        guard isEscaped(path) else { return Array(path.utf8) }
        var bytes = [UInt8]()
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapes.lowerBound + 0x80))
            } else {
                bytes += Array(String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Whether the path holds bytes that are not UTF-8 (so it must go to the system through `withCString`).
    public static func isEscaped(_ path: String) -> Bool {
        // Every escape is encoded F4 8F BE/BF xx: a path without 0xF4 holds none (the common case, one byte scan).
        path.utf8.contains(0xF4) && path.unicodeScalars.contains { escapes.contains($0.value) }
    }

    /// Calls `body` with the path's bytes as the system wants them.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        guard isEscaped(path) else { return try path.withCString(body) }
        return try (bytes(path) + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// One well-formed UTF-8 sequence at `index` (no overlongs, no surrogates, nothing past U+10FFFF), or nil.
    static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
            : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
        guard length > 0, index + length <= bytes.count,
              let text = String(validating: bytes[index..<(index + length)], as: UTF8.self),
              let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1 else { return nil }
        return (scalar, length)
    }
}
