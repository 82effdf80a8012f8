/// One photo found, and why.
public struct SearchHit: Sendable, Codable, Equatable {
    public var id: Int64
    public var path: String
    public var score: Double
    public var caption: String?
    /// In words: "cat: label (exact)", "lisbn → lisbon: place (one typo)", "meaning: 0.62".
    public var why: [String]
    public var matches: [WordMatch]
    /// Cosine similarity with the query's meaning, when semantic search ran.
    public var semantic: Double?
    /// What found it: every query word, or only the query's meaning (shown apart, as "might match").
    public var match: HitSource
    /// The stack the photo stands for, with every member; nil when it stands alone.
    public var stack: PhotoStack?
}

/// What put a photo among the results.
public enum HitSource: String, Sendable, Codable {
    /// Every word of the query matched (or, with no words, the filters alone).
    case words
    /// No word matched all the way; its meaning came close enough to the query's.
    case meaning
}

/// A search's answer: the page of hits, how many matched in all, counts to narrow by, and what was understood.
public struct SearchResult: Sendable, Codable, Equatable {
    public var total: Int
    /// The total was extrapolated from the best candidates of a very common word, not counted.
    public var totalIsEstimate: Bool
    public var hits: [SearchHit]
    /// How many of the hits were found only by meaning; they follow all the others.
    public var mightMatch: Int
    public var facets: [String: [String: Int]]
    public var understood: [String: String]
    /// Set when nothing matched well: said instead of showing unrelated photos.
    public var message: String?
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var cursor: String?
}
