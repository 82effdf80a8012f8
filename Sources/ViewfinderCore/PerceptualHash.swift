/// 64 bits that summarise how a photo looks (the signs of its lowest spatial frequencies), so that resized,
/// re-encoded or slightly cropped copies differ in few bits while unrelated photos differ in about half.
/// `Media` computes it from the thumbnail's pixels; duplicates and bursts compare it.
public struct PerceptualHash: Hashable, Sendable, CustomStringConvertible {
    public let bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    /// As a catalogue column keeps it (SQLite and PostgreSQL integers are signed).
    public init(stored: Int64) { bits = UInt64(bitPattern: stored) }
    public var stored: Int64 { Int64(bitPattern: bits) }

    /// How many of the 64 bits differ: 0 for the same picture, about 32 for unrelated ones.
    public func distance(to other: PerceptualHash) -> Int { (bits ^ other.bits).nonzeroBitCount }

    public var description: String {
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
