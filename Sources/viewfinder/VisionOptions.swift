import ArgumentParser
import Foundation
import Indexer
import Vision

/// How `index` reaches the models: the bundled worker as a child process, or a worker elsewhere.
struct VisionOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not run the AI models (tags, captions, text, faces); metadata and thumbnails only.")
    var noVision = false

    @Flag(name: .long, help: "Skip reading text in photos (OCR), the costliest model: about 5x faster describing.")
    var noText = false

    @Option(name: .long, help: ArgumentHelp(
        "Use the model worker at this URL (`viewfinder worker serve` elsewhere): http:// or https:// (through a TLS proxy), a path prefix kept. Repeat it to share the work among several.",
        valueName: "url"))
    var worker: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "The file holding the model workers' shared token (else $\(WorkerToken.variable)).", valueName: "path"))
    var workerTokenFile: String?

    @Option(name: .long, help: "Write captions, tags and named people (MWG face regions) back: 'sidecar' (photo.jpg.xmp) or 'in-file' (lossless). Off by default.")
    var writeBack: String?

    func validate() throws {
        if let writeBack, WriteBackMode(rawValue: writeBack) == nil {
            throw ValidationError("--write-back takes 'sidecar' or 'in-file', not '\(writeBack)'")
        }
        for worker in worker {
            guard let url = URL(string: worker), ["http", "https"].contains(url.scheme?.lowercased()), url.host != nil else {
                throw ValidationError("--worker takes an http:// or https:// URL, not '\(worker)'")
            }
        }
        // Only remote workers read it: a local worker needs no token, and one set for other uses must not stop it.
        if !worker.isEmpty { _ = try WorkerToken.load(file: workerTokenFile) }
    }

    var writeBackMode: WriteBackMode? { writeBack.flatMap(WriteBackMode.init(rawValue:)) }

    /// The vision service (started on first use), or nil when the worker is not installed: indexing goes on
    /// without it and the photos stay queued to be described on a later run.
    /// - Parameter queriesOnly: a local worker that only embeds query words (the sentence model and CLIP's text
    ///   side: about 127 MiB and 0.4 s to start, against 228 MiB and 2.4 s with the photo models).
    func connect(dataFolder: String, quiet: Bool, queriesOnly: Bool = false) -> VisionService? {
        guard !noVision else { return nil }
        if !worker.isEmpty {
            let token = try? WorkerToken.load(file: workerTokenFile)  // read in validate(): it is there
            let workers = worker.compactMap(URL.init(string:)).map { RemoteWorker($0, token: token) }
            return WorkerClient(transport: RemoteWorkers(workers) { said in
                if !quiet { FileHandle.standardError.write(Data("viewfinder: \(said)\n".utf8)) }
            })
        }
        guard let command = WorkerLocator.command() else {
            if !quiet {
                FileHandle.standardError.write(Data("""
                    viewfinder: no AI descriptions this run: the model worker is not installed (no .venv beside this \
                    program; run scripts/setup.sh, or set VIEWFINDER_WORKER_COMMAND); photos stay queued for a later run\n
                    """.utf8))
            }
            return nil
        }
        return Self.localWorker(command + (queriesOnly ? Self.queryWorkerSwitch : []), dataFolder: dataFolder)
    }

    /// The worker's switch for embedding search queries alone.
    static let queryWorkerSwitch = ["--embed-only"]

    /// The bundled worker as a child process, with the data folder's installed models and log.
    static func localWorker(_ command: [String], dataFolder: String) -> WorkerClient {
        WorkerClient(transport: WorkerProcess(command: command, environment: ["VIEWFINDER_MODELS": dataFolder + "/models"],
                                              logPath: dataFolder + "/worker.log"),
                     modelFolders: [ModelFiles.bundledFolder(worker: command), ModelFiles.codeFolder(worker: command),
                                    dataFolder + "/models"].compactMap { $0 })
    }
}
