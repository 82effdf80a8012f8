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
            let limit = try request.integer("limit", default: 30, in: 1...200)
            guard snapshot.photos[id] != nil else { throw HTTPError(.notFound, message: "no photo \(id)") }
            return try Response.json(answer(snapshot.engine.similar(to: id, limit: limit), snapshot))
        }
    }

    func search(_ request: Request) async throws -> Response {
        let text = request.uri.queryParameters.get("q") ?? ""
        let limit = try request.integer("limit", default: 30, in: 1...200)
        let snapshot = library.snapshot
        // A cursor past the end (the library shrank) is an empty page; bounding it keeps `offset + limit` finite.
        let offset = try request.integer("cursor", default: 0, in: 0...Int(Int32.max))
        let cursor = min(offset, snapshot.photos.count)
        let semantic = request.uri.queryParameters.get("semantic")
        guard semantic == nil || semantic == "0" || semantic == "1" else {
            throw HTTPError(.badRequest, message: "semantic must be 0 (words only) or 1, not '\(semantic!.prefix(40))'")
        }
        let stacks = request.uri.queryParameters.get("stacks")
        guard stacks == nil || stacks == "0" || stacks == "1" else {
            throw HTTPError(.badRequest, message: "stacks must be 0 (every photo of a stack) or 1, not '\(stacks!.prefix(40))'")
        }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return try Response.json(newest(snapshot, limit: limit, offset: cursor)) }
        var vectors = [String: [Float]]()
        var unavailable: String?
        if semantic != "0", let meaning = library.meaning, !snapshot.engine.vectorModels.isEmpty,
           let query = try? snapshot.engine.parse(text), let words = QueryMeaning.words(of: query) {
            switch await meaning.vectors(for: words) {
            case .vectors(let found): vectors = found
            case .unavailable(let reason): unavailable = reason
            }
        }
        // A restart answers before the saved vectors are read: the query's vector has nothing to meet yet.
        if unavailable == nil, !vectors.isEmpty, let missing = snapshot.engine.vectorsMissing { unavailable = missing }
        let result: SearchResult
        do {
            result = try snapshot.engine.search(text, limit: limit, cursor: cursor == 0 ? nil : String(cursor), queryVectors: vectors,
                                                  stacked: stacks != "0")
        } catch {
            return try Response.json(ErrorAnswer(error: error.message), status: .badRequest)
        }
        var reply = answer(result, snapshot)
        if let unavailable {
            reply.message = ([result.message].compactMap { $0 } + ["meaning unavailable (\(unavailable)): these photos match the words only"])
                .joined(separator: "; ")
        }
        return try Response.json(reply)
    }

    /// An empty box shows the library, newest first.
    private func newest(_ snapshot: LibrarySnapshot, limit: Int, offset: Int) -> SearchAnswer<GridPhoto> {
        let all = snapshot.newestFirst
        let start = min(offset, all.count)
        let end = min(start + limit, all.count)
        return SearchAnswer(total: all.count, totalIsEstimate: false,
                            hits: all[start..<end].compactMap { snapshot.photos[$0].map { GridPhoto($0) } }, facets: [:], understood: [:],
                            message: all.isEmpty ? "no photos yet: indexing may still be running" : nil,
                            cursor: end < all.count ? String(end) : nil)
    }

    private func answer(_ result: SearchResult, _ snapshot: LibrarySnapshot) -> SearchAnswer<GridPhoto> {
        SearchAnswer(result, hits: result.hits.compactMap { hit in snapshot.photos[hit.id].map { GridPhoto($0, hit: hit) } })
    }
}
