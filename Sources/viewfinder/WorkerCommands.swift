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
                Run it on the machine with the most CPU (or where the models are installed), then point indexers
                at it. It has no authentication: bind it to a private network.

                Examples:
                  viewfinder worker serve --host 0.0.0.0 --port 8765
                  viewfinder index --worker http://gpu-box:8765 ~/Pictures     (on another machine)
                """)

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on.")
        var port = 8765

        func run() throws {
            try runWorker(["--listen", "\(host):\(port)"], dataFolder: DataFolder.resolve(common.data))
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
