import Foundation
import Search
import ViewfinderCore

/// One photo in a grid: enough to draw it (placeholder, size, thumbnail address) and say why it is there.
struct GridPhoto: Encodable, Sendable {
    var id: Int64
    var path: String
    var score: Double?
    var caption: String?
    var why: [String]?
    /// "meaning" when found only by meaning (shown apart as "might match"), with its similarity.
    var match: HitSource?
    var semantic: Double?
    var taken: String?
    var width: Int
    var height: Int
    var thumbhash: String?
    var thumb: String
    /// Present (true) only for videos, which the grid marks.
    var video: Bool?
    /// The stack this photo stands for (every member, this one first); absent when it stands alone.
    var stack: PhotoStack?

    init(_ entry: PhotoEntry, hit: SearchHit? = nil) {
        id = entry.id
        path = entry.path
        score = hit?.score
        caption = hit?.caption
        why = hit?.why
        match = hit?.match
        semantic = hit?.semantic
        taken = entry.taken
        width = entry.width
        height = entry.height
        thumbhash = entry.thumbhash
        thumb = "/thumb/\(entry.id)?v=\(entry.contentHash.prefix(16))"
        video = entry.format.isVideo ? true : nil
        stack = hit?.stack
    }
}

/// A search's answer as `viewfinder search --json` prints it and `GET /api/search` sends it; hits are the
/// CLI's paths or the page's grid photos.
public struct SearchAnswer<Hit: Encodable & Sendable>: Encodable, Sendable {
    public var total: Int
    public var totalIsEstimate: Bool
    public var hits: [Hit]
    /// How many of the matches were found only by meaning; they come after all the others.
    public var mightMatch: Int
    public var facets: [String: [String: Int]]
    public var understood: [String: String]
    public var message: String?
    public var cursor: String?

    public init(_ result: SearchResult, hits: [Hit]) {
        self.init(total: result.total, totalIsEstimate: result.totalIsEstimate, hits: hits, mightMatch: result.mightMatch, facets: result.facets,
                  understood: result.understood, message: result.message, cursor: result.cursor)
    }

    init(total: Int, totalIsEstimate: Bool, hits: [Hit], mightMatch: Int = 0, facets: [String: [String: Int]],
         understood: [String: String], message: String?, cursor: String?) {
        self.total = total
        self.totalIsEstimate = totalIsEstimate
        self.hits = hits
        self.mightMatch = mightMatch
        self.facets = facets
        self.understood = understood
        self.message = message
        self.cursor = cursor
    }
}

/// `GET /api/photos/{id}`: everything known, addresses of its pictures, and its neighbours in the timeline.
struct PhotoAnswer: Encodable, Sendable {
    var id: Int64
    var detail: PhotoDetail
    var exif: [[String]]
    var preview: String
    var original: String
    var thumbhash: String?
    /// The photos shown as one with this one, when it is in a stack.
    var stack: PhotoStack?
}

struct TimelineAnswer: Encodable, Sendable {
    struct Year: Encodable, Sendable {
        var year: String
        var count: Int
        var months: [Month]
    }
    struct Month: Encodable, Sendable {
        var month: String
        var count: Int
        var cover: GridPhoto
    }
    var years: [Year]
    var undated: Int
}

struct FolderAnswer: Encodable, Sendable {
    struct Folder: Encodable, Sendable {
        var name: String
        var path: String
        var count: Int
        var cover: GridPhoto
    }
    var path: String
    var folders: [Folder]
    var photos: [GridPhoto]
}

struct StatusAnswer: Encodable, Sendable {
    struct Problem: Encodable, Sendable {
        var path: String
        var stage: String
        var severity: String
        var reason: String
        var recordedAt: Date
    }
    var photos: Int
    var described: Int
    var duplicates: Int
    /// Photos hidden because their whole folder vanished (a share not mounted), by reason.
    var offline: Int
    var offlineReasons: [String: Int]
    var pendingJobs: [String: Int]
    var errors: [String: Int]
    var warnings: [String: Int]
    var indexing: IndexingStatus.State
    var recentProblems: [Problem]
}

struct SessionAnswer: Encodable, Sendable {
    var signInRequired: Bool
    var signedIn: Bool
    var token: String
}

struct ErrorAnswer: Encodable, Sendable {
    var error: String
}
