/// What the search box understood: words to find, filters to apply, and how to say it back.
public struct Query: Sendable, Equatable {
    /// A word (or `a | b` alternatives) to find; the last word typed is matched as a prefix.
    public struct Words: Sendable, Equatable {
        public var alternatives: [String]
        public var prefix: Bool
        public var excluded: Bool
        /// Restricted to one field (`label:`, `text:`).
        public var field: SearchField?
    }

    public var words: [Words] = []
    /// Quoted phrases, folded: their words must also stand together.
    public var phrases: [[String]] = []
    /// `-DSCN0010`: a negated token of several words leaves out only photos holding all of them.
    public var excludedPhrases: [[String]] = []
    public var filters: [Filter] = []
    /// What each part was taken for, for the chips the page shows ("year": "2019", "text": "beach").
    public var understood: [String: String] = [:]
}

/// A condition on a photo's metadata or description.
public enum Filter: Sendable, Equatable {
    case camera(String), make(String), lens(String)
    /// Local capture time from (inclusive) to (exclusive), as sortable "YYYY-MM-DDTHH:MM:SS" prefixes.
    case taken(from: String, to: String)
    case month(Int)
    case iso(ClosedRange<Double>), aperture(ClosedRange<Double>), focalLength(ClosedRange<Double>)
    /// A video's length in seconds (`duration>30s`); photos have none.
    case duration(ClosedRange<Double>)
    case place(String), city(String), country(String)
    case near(latitude: Double, longitude: Double, kilometres: Double)
    case folder(String), name(String)
    case type([String])
    case orientation(String)
    case rating(ClosedRange<Int>)
    case has(String)
    case faces(ClosedRange<Int>)
    /// A person by name, folded: several mean all of them in one photo.
    case person(String)
    /// How many people were recognised in the photo.
    case people(ClosedRange<Int>)
}

/// The search box could not understand part of the query; said in words, never answered with nothing.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
