import Foundation
import Hummingbird
import Catalogue

/// `/api/people` and what people do to them: name, merge, hide, and say whose a face is. Every change is written
/// to the catalogue (which logs it for search) and applied to the engine before the answer, so a search made next
/// sees it. POSTs pass the same sign-in and cross-site checks as every other (`AccessMiddleware`).
struct PeopleRoutes: Sendable {
    let library: LiveLibrary

    struct Naming: Decodable { var name: String? }
    struct Merging: Decodable { var into: Int64 }
    struct Hiding: Decodable { var hidden: Bool? }
    struct Moving: Decodable { var person: Int64? }

    func add(to router: Router<ViewerContext>) {
        router.get("/api/people") { request, _ -> Response in
            let hidden = request.uri.queryParameters.get("hidden") == "1"
            let snapshot = library.snapshot
            let store = library.store
            return try await .json(BlockingWork.run {
                PeopleAnswer(people: try store.people(includingHidden: hidden).map { try PersonAnswer($0, store: store, snapshot: snapshot) })
            })
        }
        router.get("/api/people/:id") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await .json(BlockingWork.run { try person(id, photos: true) })
        }
        router.post("/api/people/:id/name") { request, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            let naming = try await request.decode(as: Naming.self, context: context)
            let name: String?
            do { name = try PersonRecord.name(from: naming.name) } catch { throw HTTPError(.badRequest, message: "\(error)") }
            return try await change(id) { try $0.name(person: id, name) }
        }
        router.post("/api/people/:id/merge") { request, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            let target = try await request.decode(as: Merging.self, context: context).into
            guard target != id else { throw HTTPError(.badRequest, message: "a person cannot be merged into themselves") }
            return try await change(target) { try $0.merge(person: id, into: target) }
        }
        router.post("/api/people/:id/hide") { request, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            let hidden = try await request.decode(as: Hiding.self, context: context).hidden ?? true
            return try await change(id) { try $0.setHidden(person: id, hidden) }
        }
        router.post("/api/photos/:id/faces/:index/person") { request, context -> Response in
            let photo = try context.parameters.require("id", as: Int64.self)
            let index = try context.parameters.require("index", as: Int.self)
            let person = try await request.decode(as: Moving.self, context: context).person
            let store = library.store
            try await BlockingWork.run {
                guard try store.photo(id: photo) != nil else { throw HTTPError(.notFound, message: "no photo \(photo)") }
                if let person, try store.person(id: person) == nil { throw HTTPError(.notFound, message: "no person \(person)") }
                try Self.answering { try store.move(face: FaceKey(photoID: photo, index: index), to: person) }
                try library.catchUp()
            }
            return Response(status: .noContent)
        }
    }

    /// Makes a change, brings search up to date with it, and answers with the person as they are now.
    private func change(_ id: Int64, _ body: @escaping @Sendable (PhotoStore) throws -> Void) async throws -> Response {
        let store = library.store
        return try await .json(BlockingWork.run {
            try Self.answering { try body(store) }
            try library.catchUp()
            return try person(id, photos: false)
        })
    }

    private func person(_ id: Int64, photos: Bool) throws -> PersonAnswer {
        let store = library.store
        guard let summary = try store.people(includingHidden: true).first(where: { $0.person.id == id }) else {
            throw HTTPError(.notFound, message: "no person \(id)")
        }
        return try PersonAnswer(summary, store: store, snapshot: library.snapshot, photos: photos)
    }

    /// A person or face the catalogue does not hold is a 404 that says so.
    private static func answering(_ body: () throws -> Void) throws {
        do { try body() } catch let error as PeopleError { throw HTTPError(.notFound, message: error.description) }
    }
}

struct PeopleAnswer: Encodable, Sendable {
    var people: [PersonAnswer]
}

/// One person as the People page shows them: a face to show (the best one in a photo still present), counts, and
/// on their own page their photos, newest first.
struct PersonAnswer: Encodable, Sendable {
    struct Cover: Encodable, Sendable {
        struct Box: Encodable, Sendable { var x, y, w, h: Double }
        var photo: Int64
        var thumb: String
        var preview: String
        var width: Int
        var height: Int
        var box: Box
    }

    var id: Int64
    var name: String?
    var hidden: Bool
    var faces: Int
    var photos: Int
    var cover: Cover?
    var photoList: [GridPhoto]?

    enum Keys: String, CodingKey { case id, name, hidden, faces, photos, cover, photoList }

    /// `name` is always there (null until someone names them), as `viewfinder people --json` prints it.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(faces, forKey: .faces)
        try c.encode(photos, forKey: .photos)
        try c.encodeIfPresent(cover, forKey: .cover)
        try c.encodeIfPresent(photoList, forKey: .photoList)
    }

    init(_ summary: PersonSummary, store: PhotoStore, snapshot: LibrarySnapshot, photos withPhotos: Bool = false) throws {
        id = summary.person.id
        name = summary.person.name
        hidden = summary.person.hidden
        faces = summary.faces
        photos = summary.photoIDs.count
        cover = try store.faces(personID: id).lazy.compactMap { face -> Cover? in
            guard let entry = snapshot.photos[face.key.photoID] else { return nil }
            let version = entry.contentHash.prefix(16)
            return Cover(photo: entry.id, thumb: "/thumb/\(entry.id)?v=\(version)", preview: "/preview/\(entry.id)?v=\(version)",
                         width: entry.width, height: entry.height, box: .init(x: face.x, y: face.y, w: face.w, h: face.h))
        }.first
        if withPhotos {
            photoList = summary.photoIDs.compactMap { snapshot.photos[$0] }.sorted(by: PhotoDirectory.newer).map { GridPhoto($0) }
        }
    }
}
