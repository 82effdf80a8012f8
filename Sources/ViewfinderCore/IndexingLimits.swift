/// Bounds that keep one hostile or broken file from taking the machine down.
public struct IndexingLimits: Sendable, Equatable {
    /// Images declaring more pixels than this are refused before decoding (decompression bombs).
    public var maxPixels: UInt64
    /// Files larger than this are not read into memory.
    public var maxFileBytes: Int
    /// A file whose analysis runs longer than this is recorded as an error and abandoned.
    public var secondsPerFile: Double

    public init(maxPixels: UInt64 = 250_000_000, maxFileBytes: Int = 1 << 30, secondsPerFile: Double = 60) {
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
        self.secondsPerFile = secondsPerFile
    }
}
