/// SHA-256 of a file's bytes, lower-case hex: the identity of a photo's content wherever it moves.
public struct ContentHash: Hashable, Codable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public init(digest: some Sequence<UInt8>) {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }

    public init(from decoder: Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
