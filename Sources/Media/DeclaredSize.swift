import ViewfinderCore

/// The canvas size a GIF or PNG header claims, read before any decoder sees the file, so a bomb
/// is refused by what it declares rather than by what a decoder makes of it.
enum DeclaredSize {
    static func read(_ bytes: [UInt8], format: MediaFormat) -> (width: Int, height: Int)? {
        switch format {
        case .gif where bytes.count >= 10:
            return (Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        case .png where bytes.count >= 24 && bytes[12..<16].elementsEqual("IHDR".utf8):
            func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            return (bigEndian(16), bigEndian(20))
        default:
            return nil
        }
    }
}
