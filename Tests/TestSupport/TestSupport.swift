import Foundation

/// The shared photo corpus: real files from cameras and fuzzers, never copied into the repository.
public enum Corpus {
    /// `$VIEWFINDER_CORPUS`, else `../shared/corpus` beside the package.
    public static var root: URL {
        if let configured = ProcessInfo.processInfo.environment["VIEWFINDER_CORPUS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The corpus folder, or nil with the reason tests print when they skip.
    public static func folder(_ relative: String) -> (url: URL?, skipReason: String) {
        let url = root.appendingPathComponent(relative)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return (url, "")
        }
        return (nil, "photo corpus not found at \(url.path); set VIEWFINDER_CORPUS to ../shared/corpus to run this test")
    }

    /// Files directly in a corpus folder, sorted by name.
    public static func files(in folder: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.hasDirectoryPath }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// A folder under the system temporary directory, removed when the test calls `remove()`.
public struct ScratchFolder {
    public let url: URL

    public init(_ name: String = "viewfinder-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// Copies corpus files into a sub-folder of the scratch folder.
    @discardableResult
    public func copy(_ files: [URL], into folder: String) throws -> [URL] {
        let target = url.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        return try files.map { file in
            let destination = target.appendingPathComponent(file.lastPathComponent)
            try FileManager.default.copyItem(at: file, to: destination)
            return destination
        }
    }
}

/// Runs a program and returns its standard output, standard error and exit status.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (stdout: String, stderr: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self), process.terminationStatus)
}

/// The full path of a program on PATH, or nil.
public func programPath(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
