import ArgumentParser
import Foundation
import Vision

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the model worker for indexers on other machines.",
        subcommands: [Serve.self])

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the models over HTTP (protocol v1, POST /v1; docs/WORKER-PROTOCOL.md).",
            discussion: """
                Run it on the machines with the most CPU (or where the models are installed), then point indexers
                at them. Beyond loopback it needs a shared token (--worker-token-file, or $VIEWFINDER_WORKER_TOKEN)
                and refuses to start without one; indexers send the same token. It speaks plain HTTP: for https,
                put a TLS-terminating proxy in front (a path prefix may be kept or stripped). GET /health needs no
                token.

                Examples:
                  openssl rand -hex 32 > worker.token        (copy it to every indexer)
                  viewfinder worker serve --host 0.0.0.0 --port 8765 --worker-token-file worker.token
                  viewfinder index --worker http://gpu-a:8765 --worker https://proxy/gpu-b/ \\
                      --worker-token-file worker.token ~/Pictures     (on another machine)
                """)

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on (0: any free one, said at start).")
        var port = 8765

        @Option(name: .long, help: ArgumentHelp(
            "Admit only requests bearing the token this file holds (else $\(WorkerToken.variable)); needed beyond loopback.",
            valueName: "path"))
        var workerTokenFile: String?

        func validate() throws {
            _ = try WorkerToken.load(file: workerTokenFile)
        }

        func run() throws {
            // The worker reads the token itself (file or environment), so it never shows in a process listing.
            try runWorker(["--listen", "\(host):\(port)"] + (workerTokenFile.map { ["--worker-token-file", $0] } ?? []),
                          dataFolder: DataFolder.resolve(common.data))
        }
    }
}

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, install or remove optional models (CLIP for image-text search, a neural captioner).",
        discussion: """
            The bundled models work offline out of the box. These are downloads (hundreds of MB) from Hugging Face:
            shown with progress, resumed when cut off (run the same command again), checked against their SHA-256,
            and used automatically by the next `viewfinder index` once installed. They go into the data folder's
            models/ folder.

            Examples:
              viewfinder models list
              viewfinder models install clip-vit-b-32
              viewfinder models remove vit-gpt2-captioner
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "list, install or remove.")
    var action: String

    @Argument(help: "The model's name (see `viewfinder models list`).")
    var name: String?

    @Flag(name: .long, help: "With list: print JSON.")
    var json = false

    func validate() throws {
        guard ["list", "install", "remove"].contains(action) else {
            throw ValidationError("the action is list, install or remove, not '\(action)'")
        }
        if action != "list" && name == nil { throw ValidationError("\(action) needs a model name") }
    }

    func run() throws {
        try runWorker(["models", action] + (name.map { [$0] } ?? []) + (json ? ["--json"] : []),
                      dataFolder: DataFolder.resolve(common.data))
    }
}

/// Becomes the worker's own command line (exec), so signals and the exit status are the worker's own.
func runWorker(_ arguments: [String], dataFolder: String) throws {
    guard let command = WorkerLocator.command() else {
        throw ValidationError("the model worker is not installed (no .venv beside this program): run scripts/setup.sh")
    }
    setenv("VIEWFINDER_MODELS", dataFolder + "/models", 1)
    // Commands run on a concurrency thread, which blocks signals; exec keeps the mask, and a worker that
    // cannot receive SIGTERM cannot be stopped.
    var nothing = sigset_t()
    sigemptyset(&nothing)
    pthread_sigmask(SIG_SETMASK, &nothing, nil)
    let argv = (command + arguments).map { strdup($0) } + [nil]
    execv(command[0], argv)
    throw ValidationError("cannot run \(command[0]): \(String(cString: strerror(errno)))")
}
