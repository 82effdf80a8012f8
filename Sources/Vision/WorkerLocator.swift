import Foundation

/// Finds how to start the bundled worker: $VIEWFINDER_WORKER_COMMAND, else the venv of the checkout the
/// executable was built in (`.venv/bin/python -m viewfinder_worker`). Never the current folder's: running
/// Viewfinder inside a downloaded folder must not run a program that folder brought.
public enum WorkerLocator {
    /// - Parameter executable: the running program (a test names another).
    public static func command(environment: [String: String] = ProcessInfo.processInfo.environment,
                               executable: String = CommandLine.arguments[0]) -> [String]? {
        if let configured = environment["VIEWFINDER_WORKER_COMMAND"], !configured.isEmpty {
            return configured.split(separator: " ").map(String.init)
        }
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().standardizedFileURL
        while folder.path != "/" {
            let python = folder.appendingPathComponent(".venv/bin/python").path
            if FileManager.default.isExecutableFile(atPath: python),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("worker/viewfinder_worker").path) {
                return [python, "-m", "viewfinder_worker"]
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}
