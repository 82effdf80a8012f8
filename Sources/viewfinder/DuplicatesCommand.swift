import ArgumentParser
import Catalogue
import Duplicates
import Foundation

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Groups of identical and near-identical photos, the best of each marked. Nothing is deleted.",
        discussion: """
            exact: the same file content at several paths. near: photos that look alike (resized, re-encoded,
            slightly cropped copies), found by their perceptual hashes differing in at most \(DuplicateGroups.nearDistance) of 64 bits; every
            member is that close to the group's best, which has the most pixels, then is a camera's own file
            (RAW, JPEG, HEIC, TIFF naming a camera), then lossless (PNG, TIFF), rather than a lossy re-encode,
            then has the most metadata, then is the older file, then the larger. A near group shows one path
            per content; its other paths are in that content's exact group. Photos indexed before perceptual
            hashes were kept get theirs at the next `viewfinder index` (or `serve`), from their thumbnails.

            Examples:
              viewfinder duplicates
              viewfinder duplicates --json | jq -r '.groups[].photos[] | select(.best | not) | .path'
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Print {groups: [{kind: exact|near, photos: [{path, best, width, height, distance}]}]}.")
    var json = false

    struct Photo: Encodable {
        var path: String
        var best: Bool
        var width: Int
        var height: Int
        var distance: Int
    }

    struct Group: Encodable {
        var kind: DuplicateGroup.Kind
        var photos: [Photo]
    }

    struct Answer: Encodable { var groups: [Group] }

    func run() throws {
        common.bootstrapLogging()
        let library = try common.openLibrary()
        let photos = try library.store.presentPhotos()
        let groups = DuplicateGroups.find(photos).map { group in
            Group(kind: group.kind, photos: group.members.enumerated().map { index, member in
                Photo(path: member.photo.path, best: index == 0, width: member.photo.width, height: member.photo.height,
                      distance: member.distance)
            })
        }
        if json { return try JSONOutput.print(Answer(groups: groups)) }
        let unhashed = photos.filter { $0.perceptualHash == nil }.count
        if unhashed > 0 {
            print("\(unhashed) photo\(unhashed == 1 ? " has" : "s have") no perceptual hash yet (indexed before they were kept): "
                  + "the next `viewfinder index` gives them one")
        }
        if groups.isEmpty { return print("no duplicates among \(photos.count) photos") }
        for group in groups {
            print("\(group.kind.rawValue), \(group.photos.count) photos:")
            for photo in group.photos {
                let mark = photo.best ? "best" : group.kind == .near ? "\(photo.distance) bits" : "copy"
                print("\t\(mark)\t\(photo.width)x\(photo.height)\t\(photo.path)")
            }
        }
    }
}
