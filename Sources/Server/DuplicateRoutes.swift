import Catalogue
import Duplicates
import Hummingbird

/// `GET /api/duplicates`: the groups `viewfinder duplicates` lists, each photo as a grid tile with whether it is
/// its group's best and how far it looks from it. Read only: nothing is ever deleted from here. Grouped again only
/// when the library has applied a change since the last answer (`DuplicateCache`).
struct DuplicateRoutes: Sendable {
    let library: LiveLibrary

    func add(to router: Router<ViewerContext>) {
        router.get("/api/duplicates") { _, _ -> Response in
            let store = library.store
            return try await .json(BlockingWork.run {
                try library.duplicates.answer(library) { snapshot in
                    DuplicatesAnswer(groups: DuplicateGroups.find(try store.presentPhotos()).compactMap { group in
                        // A photo the engine has not caught up with yet is left out until it has.
                        let photos = group.members.enumerated().compactMap { index, member in
                            member.photo.id.flatMap { snapshot.photos[$0] }.map {
                                DuplicatesAnswer.Photo(photo: GridPhoto($0), best: index == 0, distance: member.distance)
                            }
                        }
                        return photos.count > 1 && photos[0].best ? DuplicatesAnswer.Group(kind: group.kind, photos: photos) : nil
                    })
                }
            })
        }
    }
}

struct DuplicatesAnswer: Encodable, Sendable {
    struct Photo: Encodable, Sendable {
        var photo: GridPhoto
        var best: Bool
        var distance: Int

        enum Keys: String, CodingKey { case best, distance }

        /// The tile's fields and the two of its own, side by side, as the CLI's photos have them.
        func encode(to encoder: Encoder) throws {
            try photo.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(best, forKey: .best)
            try c.encode(distance, forKey: .distance)
        }
    }

    struct Group: Encodable, Sendable {
        var kind: DuplicateGroup.Kind
        var photos: [Photo]
    }

    var groups: [Group]
}
