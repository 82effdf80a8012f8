extension StringProtocol {
    /// `body` over the text's UTF-8 bytes where they lie: `withUTF8` needs a mutable copy, and each copy retained and
    /// released the string's storage (about twenty a photo in a build).
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        // Text not stored as UTF-8 (bridged from elsewhere): read from a copy.
        var copy = String(self)
        return try copy.withUTF8(body)
    }
}
