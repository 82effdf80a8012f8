import Foundation

/// Finds how to start the bundled worker: $VIEWFINDER_WORKER_COMMAND, else the project's venv found
/// above the executable or the current folder (`.venv/bin/python -m viewfinder_worker`).
public enum WorkerLocator {
    public static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String]? {
        if let configured = environment["VIEWFINDER_WORKER_COMMAND"], !configured.isEmpty {
            return configured.split(separator: " ").map(String.init)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [executable, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var folder = start.standardizedFileURL
            while folder.path != "/" {
                let python = folder.appendingPathComponent(".venv/bin/python").path
                if FileManager.default.isExecutableFile(atPath: python),
                   FileManager.default.fileExists(atPath: folder.appendingPathComponent("worker/viewfinder_worker").path) {
                    return [python, "-m", "viewfinder_worker"]
                }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }
}
