import Foundation
import XCTest
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// Named libraries: paths below a named root are kept as `NAME:/relative`, and each machine sees them under
/// its own root.
final class MountedCatalogueTests: XCTestCase {
    func testPathsTranslateBothWaysAtTheEdgesOfARoot() throws {
        let mounts = try LibraryMounts(["lib": "/lib/", "library2": "/library2", "fotos": "/mnt/Фото/été"])
        XCTAssertEqual(mounts.stored("/lib/2019/a.jpg"), "lib:/2019/a.jpg")
        XCTAssertEqual(mounts.stored("/library2/a.jpg"), "library2:/a.jpg", "/lib does not cover /library2")
        XCTAssertEqual(mounts.stored("/lib2/a.jpg"), "/lib2/a.jpg", "outside every root: kept absolute")
        XCTAssertEqual(mounts.stored("/lib"), "lib:")
        XCTAssertEqual(mounts.stored("/lib/"), "lib:", "a trailing slash names the same folder")
        XCTAssertEqual(mounts.stored("/mnt/Фото/été/Zoë 1.jpg"), "fotos:/Zoë 1.jpg")
        XCTAssertEqual(mounts.stored("/mnt/Фото/étévé/a.jpg"), "/mnt/Фото/étévé/a.jpg")
        for path in ["/lib/2019/a.jpg", "/library2/a.jpg", "/lib2/a.jpg", "/mnt/Фото/été/Zoë 1.jpg", "/"] {
            XCTAssertEqual(mounts.local(mounts.stored(path)), path, path)
        }
        XCTAssertEqual(mounts.local("lib:/x.jpg"), "/lib/x.jpg")
        XCTAssertNil(mounts.local("other:/x.jpg"), "a library not mounted here has no path here")
        XCTAssertEqual(mounts.shown("other:/x.jpg"), "other:/x.jpg")
        XCTAssertEqual(Set(mounts.storedFolders("/")), ["/", "lib:", "library2:", "fotos:"])
        XCTAssertEqual(mounts.storedFolders("/lib/2019/"), ["lib:/2019"])
        XCTAssertEqual(mounts.storedFolders("/mnt"), ["/mnt", "fotos:"])
    }

    func testANestedLibraryWinsAndBadMountsAreRefused() throws {
        let mounts = try LibraryMounts(["all": "/photos", "family": "/photos/family"])
        XCTAssertEqual(mounts.stored("/photos/family/a.jpg"), "family:/a.jpg")
        XCTAssertEqual(mounts.stored("/photos/familyday/a.jpg"), "all:/familyday/a.jpg")
        XCTAssertEqual(mounts.storedFolders("/photos"), ["all:", "family:"])
        XCTAssertThrowsError(try LibraryMounts(["a:b": "/x"]))
        XCTAssertThrowsError(try LibraryMounts(["a/b": "/x"]))
        XCTAssertThrowsError(try LibraryMounts(["": "/x"]))
        XCTAssertThrowsError(try LibraryMounts(["a": "relative/x"]))
        XCTAssertThrowsError(try LibraryMounts(["a": "/x", "b": "/x/"]))
    }

    func photo(_ path: String, hash: String) -> PhotoRecord {
        PhotoRecord(path: path, fileSize: 10, modifiedAt: 1, sidecarModifiedAt: nil, contentHash: ContentHash(hex: hash),
                    metadata: PhotoMetadata(width: 4, height: 3, keywords: [], format: .jpeg), thumbhash: nil, indexedAt: 0)
    }

    func testAPhotoIndexedOnOneMachineIsFoundOnAnotherAndLeftAloneWhereItsLibraryIsNotMounted() throws {
        let scratch = try ScratchFolder("mounted")
        defer { scratch.remove() }
        let shared = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        let a = MountedCatalogue(shared, mounts: try LibraryMounts(["photos": "/mnt/a"]))
        let b = MountedCatalogue(shared, mounts: try LibraryMounts(["photos": "/Volumes/b/"]))
        let elsewhere = MountedCatalogue(shared, mounts: try LibraryMounts(["music": "/srv/music"]))
        let owner = JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600)

        try a.enqueue([JobRecord(kind: .index, target: "/mnt/a/2019/x.jpg"), JobRecord(kind: .index, target: "/tmp/loose.jpg")])
        XCTAssertEqual(Set(try shared.claimJobs(.index, after: 0, suspects: false, limit: 10, for: owner).map(\.target)),
                       ["photos:/2019/x.jpg", "/tmp/loose.jpg"])
        try shared.releaseClaims(owner: owner.owner)
        XCTAssertEqual(try elsewhere.claimJobs(.index, after: 0, suspects: false, limit: 10, for: owner).map(\.target),
                       ["/tmp/loose.jpg"], "a file this machine cannot reach is not handed out")
        let other = JobClaim(owner: "host/2/2", until: Date().timeIntervalSince1970 + 600)
        XCTAssertEqual(try shared.claimJobs(.index, after: 0, suspects: false, limit: 10, for: other).map(\.target),
                       ["photos:/2019/x.jpg"], "and is handed back at once, for a machine that can reach it")
        try shared.releaseClaims(owner: other.owner)
        try shared.releaseClaims(owner: owner.owner)
        let jobs = try a.claimJobs(.index, after: 0, suspects: false, limit: 10, for: owner)
        XCTAssertEqual(jobs.map(\.target), ["/mnt/a/2019/x.jpg", "/tmp/loose.jpg"])
        try a.commit([FinishedJob(job: jobs[0], change: .photo(photo("/mnt/a/2019/x.jpg", hash: "11"), warnings: [], needsPreview: false))],
                     owner: owner.owner)

        XCTAssertEqual(try shared.photos(withContentHash: "11").map(\.path), ["photos:/2019/x.jpg"])
        let seen = try XCTUnwrap(try b.photo(atPath: "/Volumes/b/2019/x.jpg"))
        XCTAssertEqual(seen.path, "/Volumes/b/2019/x.jpg")
        XCTAssertEqual(try b.searchablePhotos().map(\.photo.path), ["/Volumes/b/2019/x.jpg"])
        XCTAssertEqual(try b.searchablePhotos(ids: [seen.id!]).map(\.photo.path), ["/Volumes/b/2019/x.jpg"])
        XCTAssertEqual(Array(try b.knownFiles(under: "/Volumes/b/2019").keys), ["/Volumes/b/2019/x.jpg"])
        XCTAssertEqual(Array(try b.knownFiles(under: "/Volumes").keys), ["/Volumes/b/2019/x.jpg"])
        XCTAssertNotEqual(try a.changeMark().catalogue, try b.changeMark().catalogue,
                          "a search engine saved under other roots holds other paths")

        // Where the library is not mounted, a scan of the whole disk neither sees nor removes it.
        XCTAssertEqual(try elsewhere.knownFiles(under: "/"), [:])
        try elsewhere.setMissing(Array(try elsewhere.knownFiles(under: "/").keys), true)
        XCTAssertEqual(try elsewhere.removeMissing(under: ["/"], offlineBefore: 0).removed, 0)
        XCTAssertEqual(try elsewhere.photo(id: seen.id!)?.path, "photos:/2019/x.jpg")
        XCTAssertEqual(try elsewhere.photo(id: seen.id!)?.missing, false)

        // Marked missing on one machine, removed by a run on another that mounts the library elsewhere.
        try b.setMissing(["/Volumes/b/2019/x.jpg"], true)
        XCTAssertEqual(try a.removeMissing(under: ["/mnt/a"], offlineBefore: 0).removed, 1)
        XCTAssertNil(try shared.photo(id: seen.id!))
    }

    func testPhotosIndexedBeforeTheirLibraryWasNamedMoveToTheirLibraryPathKeepingTheirIdentity() throws {
        let scratch = try ScratchFolder("mounted")
        defer { scratch.remove() }
        let shared = try SQLiteStore(path: scratch.path + "/catalogue.sqlite")
        // The share is mounted (a library is adopted only then): its folder holds the photo still there.
        let mnt = scratch.path + "/mnt"
        try FileManager.default.createDirectory(atPath: mnt + "/a", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: mnt + "/a/old.jpg", contents: Data([0xFF, 0xD8]))
        let owner = JobClaim(owner: "host/1/1", until: Date().timeIntervalSince1970 + 600)
        func finish(_ store: PhotoStore, _ path: String, _ change: (JobRecord) -> CatalogueChange) throws {
            try store.enqueue([JobRecord(kind: .index, target: path)])
            let job = try XCTUnwrap(try store.claimJobs(.index, after: 0, suspects: false, limit: 1, for: owner).first)
            XCTAssertEqual(try store.commit([FinishedJob(job: job, change: change(job))], owner: owner.owner).applied, 1)
        }
        try finish(shared, "\(mnt)/a/old.jpg") { _ in .photo(self.photo("\(mnt)/a/old.jpg", hash: "22"), warnings: [], needsPreview: false) }
        try finish(shared, "\(mnt)/a/gone.jpg") { _ in .photo(self.photo("\(mnt)/a/gone.jpg", hash: "33"), warnings: [], needsPreview: false) }
        try finish(shared, "\(mnt)/other/b.jpg") { _ in .photo(self.photo("\(mnt)/other/b.jpg", hash: "44"), warnings: [], needsPreview: false) }
        let id = try XCTUnwrap(try shared.photo(atPath: "\(mnt)/a/old.jpg")?.id)

        let a = MountedCatalogue(shared, mounts: try LibraryMounts(["photos": "\(mnt)/a"]))
        XCTAssertEqual(Array(try a.knownFiles(under: mnt).keys), ["\(mnt)/other/b.jpg"],
                       "a photo kept by its old path is not taken for the library's")
        XCTAssertEqual(try shared.photo(atPath: "\(mnt)/a/old.jpg")?.missing, true)
        XCTAssertEqual(try shared.photo(atPath: "\(mnt)/other/b.jpg")?.missing, false)
        // Found again by its content, as the indexer does: the same photo, now at its library path.
        let sibling = try XCTUnwrap(try a.photos(withContentHash: "22").first { $0.missing })
        try finish(a, "\(mnt)/a/old.jpg") { _ in .moved(photoID: sibling.id!, path: "\(mnt)/a/old.jpg", fileSize: 10, modifiedAt: 1) }
        XCTAssertEqual(try shared.photo(id: id)?.path, "photos:/old.jpg")
        XCTAssertEqual(try a.photo(atPath: "\(mnt)/a/old.jpg")?.id, id)
        XCTAssertEqual(try a.removeMissing(under: ["\(mnt)/a"], offlineBefore: 0).removed, 1, "the file no longer there")
        XCTAssertNil(try shared.photo(atPath: "\(mnt)/a/gone.jpg"))
        XCTAssertNotNil(try shared.photo(atPath: "\(mnt)/other/b.jpg"))
    }
}
