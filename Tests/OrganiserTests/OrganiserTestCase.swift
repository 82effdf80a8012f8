import XCTest
import Organiser
import TestSupport

/// A scratch folder with photos to organise, and what a folder tree holds: every file's bytes, time and mode.
class OrganiserTestCase: XCTestCase {
    var scratch: ScratchFolder!
    var source: String { scratch.path + "/source" }
    var into: String { scratch.path + "/sorted" }

    override func setUpWithError() throws { scratch = try ScratchFolder("organise") }
    override func tearDown() { scratch.remove() }

    /// The corpus's photos in their own folders (content, exif/cameras, …) below `source`.
    func copyCorpus(_ folders: [String] = ["content", "exif/cameras", "exif/gps", "exif/orientation", "exif/formats", "malformed"]) throws {
        for folder in folders {
            let (url, reason) = Corpus.folder(folder)
            guard let url else { throw XCTSkip(reason) }
            try scratch.copy(Corpus.files(in: url).filter { $0.pathExtension != "tsv" }, into: "source/" + folder)
        }
    }

    func request(_ mode: TransferMode = .copy, pattern: String = LayoutPattern.default, shifts: [String] = []) throws -> OrganiseRequest {
        OrganiseRequest(sources: [source], into: into, pattern: try LayoutPattern(pattern), mode: mode,
                        shifts: try shifts.map { text throws(OrganiseError) in try CameraShift(parsing: text) })
    }

    /// Relative path → SHA-256, modification time (ns) and permission bits of every file below `root` (the
    /// journal folder left out).
    func tree(_ root: String) throws -> [String: FileSnapshot] {
        var files = [String: FileSnapshot]()
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [:] }
        for case let relative as String in walk where !relative.hasPrefix(".viewfinder-organise") {
            let path = root + "/" + relative
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            files[relative] = FileSnapshot(bytes: bytes, modified: "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", mode: info.st_mode & 0o7777)
        }
        return files
    }

    func write(_ text: String, to relative: String, modified: Int? = nil) throws {
        let url = URL(fileURLWithPath: scratch.path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        if let modified { try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(modified))], ofItemAtPath: url.path) }
    }
}

struct FileSnapshot: Equatable, CustomStringConvertible {
    var bytes: Data
    var modified: String
    var mode: mode_t

    var description: String { "\(bytes.count) bytes, modified \(modified), mode \(String(mode, radix: 8))" }
}
