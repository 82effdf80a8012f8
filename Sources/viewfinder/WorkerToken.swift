import ArgumentParser
import Foundation

/// The shared secret between indexers and model workers: `--worker-token-file`, else $VIEWFINDER_WORKER_TOKEN.
enum WorkerToken {
    static let variable = "VIEWFINDER_WORKER_TOKEN"

    /// The token without surrounding white space (a file written by `echo` ends in a newline), or nil when none is set.
    static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let token: String, origin: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read the worker token file \(file)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            origin = "the worker token file \(file)"
        } else if let set = environment[variable] {
            token = set.trimmingCharacters(in: .whitespacesAndNewlines)
            origin = "$\(variable)"
        } else {
            return nil
        }
        guard !token.isEmpty else { throw ValidationError("\(origin) is empty") }
        guard token.unicodeScalars.allSatisfy({ (33...126).contains($0.value) }) else {
            throw ValidationError("\(origin) holds spaces or characters an HTTP header cannot carry: use printable ASCII, as `openssl rand -hex 32` writes")
        }
        return token
    }
}
