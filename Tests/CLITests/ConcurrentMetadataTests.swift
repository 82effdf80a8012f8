import XCTest
import Catalogue
import SQLiteCatalogue
import TestSupport
import ViewfinderCore

/// exiv2's XMP toolkit keeps one namespace registry per process and is not thread-safe: before its calls were
/// serialised, a packet read while another thread read one could fail ("XMP Toolkit error 101"), so one photo's
/// metadata and warnings depended on what else the process was reading (4 runs in 6 of this test differed).
final class ConcurrentMetadataTests: CLITestCase {
    func testEveryCopyOfAPhotoReadsAlikeOnManyThreads() throws {
        var withXMP = [URL]()
        for folder in ["exif/cameras", "exif/formats", "exif/gps", "malformed", "content"] {
            withXMP += try corpusFiles(folder).filter { file in
                (try? Data(contentsOf: file))?.range(of: Data("x:xmpmeta".utf8)) != nil
            }
        }
        XCTAssertGreaterThanOrEqual(withXMP.count, 20, "the corpus's photos with XMP packets")
        let copies = 3
        for copy in 1...copies {
            let folder = scratch.url.appendingPathComponent("library")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in withXMP {
                try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent("\(copy)-\(file.lastPathComponent)"))
            }
        }
        let library = scratch.path + "/library"
        var firstRun: [String: String]?
        for run in 1...4 {
            let data = scratch.path + "/data-\(run)"
            let result = try runProgram(try binary, ["index", "--no-vision", "--no-previews", "--threads", "12", "--data", data, library])
            XCTAssertEqual(result.status, 0, result.stderr)
            let store = try SQLiteStore(path: data + "/catalogue.sqlite")
            let problems = Dictionary(grouping: try store.problems().filter { $0.stage == .metadata }, by: \.path)
            var read = [String: String]()
            for (path, _) in try store.knownFiles(under: library) {
                guard let photo = try store.photo(atPath: path) else { continue }
                let name = String((path as NSString).lastPathComponent.drop { $0 != "-" }.dropFirst())
                let reading = "\(photo.metadata) \((problems[path] ?? []).map(\.reason).sorted())"
                if let other = read[name] {
                    XCTAssertEqual(reading, other, "run \(run): two copies of \(name) read differently")
                }
                read[name] = reading
            }
            XCTAssertGreaterThanOrEqual(read.count, 20, "photos with XMP indexed")
            if let firstRun {
                for (name, reading) in read { XCTAssertEqual(reading, firstRun[name], "\(name) read differently in run \(run)") }
            } else {
                firstRun = read
            }
        }
    }
}
