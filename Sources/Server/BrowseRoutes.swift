import Foundation
import Hummingbird

/// `/api/photos/{id}`, `/api/timeline`, `/api/folders`, `/api/status`: what the photo, timeline, folder and
/// status pages show.
struct BrowseRoutes: Sendable {
    let library: LiveLibrary

    func add(to router: Router<ViewerContext>) {
        router.get("/api/photos/:id") { _, context -> Response in
            let snapshot = library.snapshot
            let id = try context.parameters.require("id", as: Int64.self)
            guard let entry = snapshot.photos[id] else { throw HTTPError(.notFound, message: "no photo \(id)") }
            let store = library.store
            let (detail, exif) = try await BlockingWork.run { () -> (PhotoDetail?, [[String]]) in
                guard let record = try store.photo(id: id) else { return (nil, []) }
                return (try PhotoDetail(record, store: store, relativeTo: snapshot.root), ExifTable.read(entry.absolutePath))
            }
            guard let detail else { throw HTTPError(.notFound, message: "no photo \(id)") }
            let version = entry.contentHash.prefix(16)
            return try Response.json(PhotoAnswer(id: id, detail: detail, exif: exif, preview: "/preview/\(id)?v=\(version)",
                                         original: "/original/\(id)", thumbhash: entry.thumbhash,
                                              stack: snapshot.engine.stack(of: id)))
        }
        router.get("/api/timeline") { _, _ -> Response in try .json(timeline(library.snapshot)) }
        router.get("/api/folders") { request, _ -> Response in
            try .json(folder(request.uri.queryParameters.get("path") ?? "", library.snapshot,
                             limit: try request.integer("limit", default: 500, in: 1...5000)))
        }
        router.get("/api/status") { _, _ -> Response in try await .json(BlockingWork.run { try status() }) }
    }

    func timeline(_ snapshot: LibrarySnapshot) -> TimelineAnswer {
        // Newest first, so each month's first photo is its cover and months arrive grouped.
        var months = [TimelineAnswer.Month]()
        var undated = 0
        for id in snapshot.newestFirst {
            guard let entry = snapshot.photos[id] else { continue }
            guard let taken = entry.taken, taken.count >= 7 else { undated += 1; continue }
            let month = String(taken.prefix(7))
            if months.last?.month == month { months[months.count - 1].count += 1 } else {
                months.append(.init(month: month, count: 1, cover: GridPhoto(entry)))
            }
        }
        var years = [TimelineAnswer.Year]()
        for month in months {
            let year = String(month.month.prefix(4))
            if years.last?.year != year { years.append(.init(year: year, count: 0, months: [])) }
            years[years.count - 1].count += month.count
            years[years.count - 1].months.append(month)
        }
        return TimelineAnswer(years: years, undated: undated)
    }

    /// One folder (relative to the library): its subfolders with counts, and its own photos, newest first.
    func folder(_ path: String, _ snapshot: LibrarySnapshot, limit: Int) -> FolderAnswer {
        let folder = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var children = [String: FolderAnswer.Folder]()
        var photos = [GridPhoto]()
        for id in snapshot.newestFirst {
            guard let entry = snapshot.photos[id] else { continue }
            let own = entry.folder
            if own == folder {
                if photos.count < limit { photos.append(GridPhoto(entry)) }
                continue
            }
            guard folder.isEmpty || own.hasPrefix(folder + "/") else { continue }
            let rest = folder.isEmpty ? own : String(own.dropFirst(folder.count + 1))
            let name = String(rest.prefix { $0 != "/" })
            let childPath = folder.isEmpty ? name : folder + "/" + name
            children[name, default: .init(name: name, path: childPath, count: 0, cover: GridPhoto(entry))].count += 1
        }
        return FolderAnswer(path: folder, folders: children.values.sorted { $0.name < $1.name }, photos: photos)
    }

    func status() throws -> StatusAnswer {
        let counts = try library.store.status()
        let problems = try library.store.recentProblems(limit: 50)
        let root = library.snapshot.root
        return StatusAnswer(
            photos: counts.photos, described: counts.described, duplicates: counts.duplicates, offline: counts.offline,
            offlineReasons: counts.offlineReasons, pendingJobs: counts.pendingJobs,
            errors: counts.errors, warnings: counts.warnings, indexing: library.indexing.current,
            recentProblems: problems.map {
                .init(path: $0.path.hasPrefix(root) ? String($0.path.dropFirst(root.count)) : $0.path, stage: $0.stage.rawValue,
                      severity: $0.severity.rawValue, reason: $0.reason, recordedAt: Date(timeIntervalSince1970: $0.recordedAt))
            })
    }
}
