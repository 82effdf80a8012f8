import Foundation
import Media

/// Every file under a folder by its path: SHA-256 of all its bytes, its size and its modification time to the
/// nanosecond, so any write shows (a touch without a change too).
enum LibraryFingerprint {
    static func of(_ folder: String) throws -> [String: String] {
        var state = [String: String]()
        let enumerator = FileManager.default.enumerator(atPath: folder)!
        while let relative = enumerator.nextObject() as? String {
            let path = folder + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let time = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            let bytes = (info.st_mode & S_IFMT) == S_IFREG ? Array(try Data(contentsOf: URL(fileURLWithPath: path))) : []
            state[relative] = "\(info.st_size) \(time) \(PhotoAnalyzer.hash(bytes).hex)"
        }
        return state
    }
}
