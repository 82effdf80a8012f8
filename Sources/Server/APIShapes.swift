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
    var taken: String?
    var width: Int
    var height: Int
    var thumbhash: String?
    var thumb: String

    init(_ entry: PhotoEntry, hit: SearchHit? = nil) {
        id = entry.id
        path = entry.path
        score = hit?.score
        caption = hit?.caption
        why = hit?.why
        taken = entry.taken
        width = entry.width
        height = entry.height
        thumbhash = entry.thumbhash
        thumb = "/thumb/\(entry.id)?v=\(entry.contentHash.prefix(16))"
    }
}

/// `GET /api/search`: the CLI's JSON, with what a grid needs.
struct SearchAnswer: Encodable, Sendable {
    var total: Int
    var totalIsEstimate: Bool
    var hits: [GridPhoto]
    var facets: [String: [String: Int]]
    var understood: [String: String]
    var message: String?
    var cursor: String?
}

/// `GET /api/photos/{id}`: everything known, addresses of its pictures, and its neighbours in the timeline.
struct PhotoAnswer: Encodable, Sendable {
    var id: Int64
    var detail: PhotoDetail
    var exif: [[String]]
    var preview: String
    var original: String
    var thumbhash: String?
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
