/// One fuzz input read as what a search request carries: `query [0xFF limit [0xFF cursor [0xFF photo id]]]`.
/// 0xFF never occurs in UTF-8, so a plain-text seed is all query (NULs included); the limit and the photo id
/// are up to 8 little-endian bytes, so every Int is reachable, negatives too.
struct SearchRequest {
    var query: String
    var limit = 30
    var cursor: String?
    var photo: Int64 = 1

    init(_ bytes: UnsafeRawBufferPointer) {
        let parts = bytes.split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false)
        query = String(decoding: parts[0], as: UTF8.self)
        if parts.count > 1 { limit = Int(truncatingIfNeeded: Self.integer(parts[1])) }
        if parts.count > 2 { cursor = String(decoding: parts[2], as: UTF8.self) }
        if parts.count > 3 { photo = Int64(bitPattern: Self.integer(parts[3])) }
    }

    private static func integer(_ bytes: Slice<UnsafeRawBufferPointer>) -> UInt64 {
        bytes.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
