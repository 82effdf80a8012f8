import Foundation

/// The model files a local worker loads, seen from outside it: a stamp of their names, sizes and times tells
/// the indexer that weights changed (an upgrade's new export, a model installed) without starting the worker.
public enum ModelFiles {
    /// One line per file below the folders, sorted; folders that do not exist add nothing.
    public static func stamp(_ folders: [String]) -> String {
        var lines = [String]()
        for folder in folders {
            guard let files = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = files.nextObject() as? String {
                // Python's compiled copies appear once the worker has run; they change nothing it says.
                if relative.hasSuffix("__pycache__") { files.skipDescendants() }
                var info = stat()
                guard stat(folder + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                lines.append("\(folder)/\(relative) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
            }
        }
        return lines.sorted().joined(separator: "\n")
    }

    /// Where the bundled worker finds its models: $VIEWFINDER_BUNDLED_MODELS, else `models/` of the checkout
    /// whose venv runs the worker; nil for a worker command given by hand.
    public static func bundledFolder(worker command: [String],
                                     environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let configured = environment["VIEWFINDER_BUNDLED_MODELS"], !configured.isEmpty { return configured }
        return checkout(of: command).map { $0 + "/models" }
    }

    /// The worker's own code (how labels are made from the models' outputs): it names its descriptions too.
    public static func codeFolder(worker command: [String]) -> String? {
        checkout(of: command).map { $0 + "/worker/viewfinder_worker" }
    }

    /// The checkout whose `.venv` runs the worker.
    private static func checkout(of command: [String]) -> String? {
        guard let python = command.first, python.hasSuffix("/.venv/bin/python") else { return nil }
        return String(python.dropLast("/.venv/bin/python".count))
    }
}
