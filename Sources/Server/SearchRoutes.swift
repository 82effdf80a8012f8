import Foundation
import Hummingbird
import Search

/// `/api/search` and `/api/photos/{id}/similar`: the engine in memory, the query's meaning from the worker.
struct SearchRoutes: Sendable {
    let library: LiveLibrary

    func add(to router: Router<ViewerContext>) {
        router.get("/api/search") { request, _ in try await search(request) }
        router.get("/api/photos/:id/similar") { request, context -> Response in
            let snapshot = library.snapshot
            let id = try context.parameters.require("id", as: Int64.self)
            guard snapshot.photos[id] != nil else { throw HTTPError(.notFound, message: "no photo \(id)") }
            let result = snapshot.engine.similar(to: id, limit: request.integer("limit", default: 30, in: 1...200))
            return try Response.json(answer(result, snapshot))
        }
    }

    func search(_ request: Request) async throws -> Response {
        let text = request.uri.queryParameters.get("q") ?? ""
        let limit = request.integer("limit", default: 30, in: 1...200)
        let cursor = request.uri.queryParameters.get("cursor")
        let snapshot = library.snapshot
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return try Response.json(newest(snapshot, limit: limit, cursor: cursor)) }
        var vectors = [String: [Float]]()
        if request.uri.queryParameters.get("semantic") != "0", let meaning = library.meaning, !snapshot.engine.vectorModels.isEmpty,
           let query = try? snapshot.engine.parse(text), let words = QueryMeaning.words(of: query) {
            // The worker answers over a pipe: wait for it off the server's threads.
            vectors = await Task.detached { meaning.vectors(for: words) }.value
        }
        let result: SearchResult
        do {
            result = try snapshot.engine.search(text, limit: limit, cursor: cursor, queryVectors: vectors)
        } catch {
            return try Response.json(ErrorAnswer(error: error.message), status: .badRequest)
        }
        return try Response.json(answer(result, snapshot))
    }

    /// An empty box shows the library, newest first.
    private func newest(_ snapshot: LibrarySnapshot, limit: Int, cursor: String?) -> SearchAnswer<GridPhoto> {
        let offset = min(cursor.flatMap { Int($0) } ?? 0, snapshot.newestFirst.count)
        let page = snapshot.newestFirst[offset..<min(offset + limit, snapshot.newestFirst.count)]
        return SearchAnswer(total: snapshot.newestFirst.count, totalIsEstimate: false,
                            hits: page.compactMap { snapshot.photos[$0].map { GridPhoto($0) } }, facets: [:], understood: [:],
                            message: snapshot.newestFirst.isEmpty ? "no photos yet: indexing may still be running" : nil,
                            cursor: offset + limit < snapshot.newestFirst.count ? String(offset + limit) : nil)
    }

    private func answer(_ result: SearchResult, _ snapshot: LibrarySnapshot) -> SearchAnswer<GridPhoto> {
        SearchAnswer(result, hits: result.hits.compactMap { hit in snapshot.photos[hit.id].map { GridPhoto($0, hit: hit) } })
    }
}
