import Foundation
import TestSupport
import XCTest

/// One indexer, two real model workers (`viewfinder worker serve` with a token, on free ports): the token is
/// checked, the work is spread over both, and a worker killed or frozen mid-run costs nothing but time.
final class SharedWorkerTests: CLITestCase {
    /// A worker serving over HTTP, its log (a line per request, with the status) in the scratch folder.
    final class ServedWorker: @unchecked Sendable {
        let process = Process()
        let log: String
        /// Its URL; `prefix` is kept by the indexer and honoured by the worker, as behind a proxy that keeps it.
        private(set) var url = ""

        /// - Parameter command: the program and its arguments, the token's and a free port's switches to come.
        init(_ command: [String], token: String, log: String, prefix: String = "", environment: [String: String] = [:]) throws {
            self.log = log
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst()) + ["--worker-token-file", token]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
            let deadline = Date().addingTimeInterval(180)
            while Date() < deadline, process.isRunning {
                let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let line = said.split(separator: "\n").first(where: { $0.contains("serving protocol v1") }),
                   let address = line.split(separator: " ").last?.replacingOccurrences(of: "/v1", with: "") {
                    url = address + prefix
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw XCTSkip("the worker did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        /// Requests it answered (hello and describe alike).
        var answered: Int {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
                .filter { $0.contains("\"POST ") && $0.contains("\" 200 ") }.count
        }

        func stop() {
            kill(process.processIdentifier, SIGCONT)
            process.terminate()
            process.waitUntilExit()
        }
    }

    var workers = [ServedWorker]()
    var served: [String] { get throws { [try binary, "worker", "serve", "--data", data, "--port", "0"] } }
    var tokenFile: String { scratch.path + "/worker.token" }

    override func tearDown() {
        workers.forEach { $0.stop() }
        super.tearDown()
    }

    /// The labelled corpus photos in a library, two workers sharing a token, and a run with the wrong token first:
    /// it is refused with words, and every photo is left queued. Returns how many photos wait to be described.
    func startTwoWorkers() throws -> Int {
        guard FileManager.default.fileExists(atPath: Corpus.packageRoot.appendingPathComponent("models/.complete").path) else {
            throw XCTSkip("the bundled models are not exported (run scripts/setup.sh)")
        }
        try scratch.copy(try corpusFiles("content").filter { $0.pathExtension != "tsv" }, into: "library")
        try "3f9c0d5e8a7b41c2a6e0f1d2c3b4a596\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try "not-the-token".write(toFile: scratch.path + "/wrong.token", atomically: true, encoding: .utf8)
        workers = [try ServedWorker(try served, token: tokenFile, log: scratch.path + "/a.log"),
                   try ServedWorker(try served, token: tokenFile, log: scratch.path + "/b.log", prefix: "/gpu-b/")]
        let refused = try viewfinder("index", "--worker", workers[0].url, "--worker", workers[1].url,
                                     "--worker-token-file", scratch.path + "/wrong.token", scratch.path + "/library")
        XCTAssertEqual(refused.status, 0, "indexing goes on without the models: \(refused.stderr)")
        for worker in workers {
            XCTAssertTrue(refused.stdout.contains("the model worker at \(worker.url) refused the token"), refused.stdout)
        }
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["described"] as? Int, 0)
        return try XCTUnwrap((status["pendingJobs"] as? [String: Int])?["describe"])
    }

    /// Indexes with both workers, sending `signal` to the first once it has described a batch; every photo must
    /// still be described, once, with no photo blamed.
    func describeAll(stoppingTheFirstWith signal: Int32) throws {
        let queued = try startTwoWorkers()
        XCTAssertGreaterThan(queued, 20)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: try binary)
        run.arguments = ["index", "--data", data, "--worker", workers[0].url, "--worker", workers[1].url,
                         "--worker-token-file", tokenFile, scratch.path + "/library"]
        let out = Pipe()
        run.standardOutput = out
        FileManager.default.createFile(atPath: scratch.path + "/index.err", contents: nil)
        run.standardError = FileHandle(forWritingAtPath: scratch.path + "/index.err")
        try run.run()
        let stopped = Stopped()
        let first = workers[0]
        Thread.detachNewThread {
            // Its hello and one describe answered: it has work, and more is coming its way.
            while run.isRunning && first.answered < 2 { usleep(20_000) }
            stopped.midRun = run.isRunning
            kill(first.process.processIdentifier, signal)
            stopped.done.signal()
        }
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        stopped.done.wait()
        let complaints = (try? String(contentsOfFile: scratch.path + "/index.err", encoding: .utf8)) ?? ""
        XCTAssertEqual(run.terminationStatus, 0, complaints)
        XCTAssertTrue(stopped.midRun, "the first worker was stopped while the run went on")
        XCTAssertFalse(said.contains("no AI descriptions"), said)
        XCTAssertTrue(complaints.contains("the model worker at \(first.url)"), complaints)
        XCTAssertTrue(complaints.contains("its work goes to the other workers"), complaints)
        XCTAssertGreaterThanOrEqual(workers[0].answered, 2, "the first worker described a batch before it was stopped")
        XCTAssertGreaterThanOrEqual(workers[1].answered, 2, "the second worker described too")
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["described"] as? Int, queued, "every photo described once")
        XCTAssertNil((status["pendingJobs"] as? [String: Int])?["describe"])
        XCTAssertNil((status["errors"] as? [String: Int])?["vision"], "no photo blamed for a worker's death")
        let shown = try XCTUnwrap(try json("show", "--json", scratch.path + "/library/ski-coffee.png") as? [String: Any])
        XCTAssertTrue((shown["caption"] as? String)?.contains("espresso") == true, "\(shown["caption"] ?? "")")
    }

    func testAWorkerKilledMidRunCostsNothingButTime() throws {
        try describeAll(stoppingTheFirstWith: SIGKILL)
    }

    func testAWorkerWithOtherModelsIsNotUsed() throws {
        let queued = try startTwoWorkers()
        // The same worker without its OCR models: its descriptions would have no text, unlike the others'.
        let python = Corpus.packageRoot.appendingPathComponent(".venv/bin/python").path
        workers.append(try ServedWorker([python, "-m", "viewfinder_worker", "--no-text", "--listen", "127.0.0.1:0"],
                                        token: tokenFile, log: scratch.path + "/c.log",
                                        environment: ["VIEWFINDER_MODELS": data + "/models"]))
        let run = try viewfinder("index", "--worker", workers[0].url, "--worker", workers[2].url,
                                 "--worker-token-file", tokenFile, scratch.path + "/library")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("the model worker at \(workers[2].url) has other models"), run.stderr)
        XCTAssertEqual(workers[2].answered, 1, "greeted, never asked to describe")
        let status = try XCTUnwrap(try json("status", "--json") as? [String: Any])
        XCTAssertEqual(status["described"] as? Int, queued)
        let page = try XCTUnwrap(try json("show", "--json", scratch.path + "/library/ski-page.png") as? [String: Any])
        XCTAssertTrue((page["text"] as? String)?.contains("Region-based segmentation") == true, "read by the worker with OCR")
    }

    /// https through a proxy that serves the worker under /vf/ and strips the prefix, with a certificate of its own;
    /// the indexer trusts it in a private mount namespace (the system's bundle, with it, bound over the original).
    func testThroughATLSTerminatingProxy() throws {
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        guard let openssl = programPath("openssl"), let unshare = programPath("unshare"),
              FileManager.default.fileExists(atPath: bundle) else {
            throw XCTSkip("needs openssl, unshare and \(bundle)")
        }
        let queued = try startTwoWorkers()
        let key = scratch.path + "/proxy.key", certificate = scratch.path + "/proxy.pem"
        XCTAssertEqual(try runProgram(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                                "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]).status, 0)
        let trusted = scratch.path + "/bundle.pem"
        try (try String(contentsOfFile: bundle, encoding: .utf8) + (try String(contentsOfFile: certificate, encoding: .utf8)))
            .write(toFile: trusted, atomically: true, encoding: .utf8)
        try Self.proxy.write(toFile: scratch.path + "/proxy.py", atomically: true, encoding: .utf8)
        let proxy = Process()
        proxy.executableURL = Corpus.packageRoot.appendingPathComponent(".venv/bin/python")
        proxy.arguments = [scratch.path + "/proxy.py", workers[0].url, certificate, key]
        let address = Pipe()
        proxy.standardOutput = address
        try proxy.run()
        defer { proxy.terminate(); proxy.waitUntilExit() }
        let url = String(decoding: address.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(url.hasPrefix("https://127.0.0.1:") && url.hasSuffix("/vf/"), url)
        let run = try runProgram(unshare, ["-m", "sh", "-c", "mount --bind \"$0\" \(bundle) && exec \"$@\"", trusted, try binary,
                                           "index", "--worker", url, "--worker-token-file", tokenFile, scratch.path + "/library"],
                                 environment: ["VIEWFINDER_DATA": data])
        if run.status != 0, run.stderr.contains("unshare:") || run.stderr.contains("mount:") {
            throw XCTSkip("a private mount namespace is not allowed here: \(run.stderr)")
        }
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\(queued) described"), run.stdout + run.stderr)
        XCTAssertGreaterThanOrEqual(workers[0].answered, 2, "the proxy's worker described")
    }

    /// A TLS-terminating proxy: serves https on a free port (said on stdout) and passes `/vf/...` on as `/...`.
    static let proxy = #"""
    import http.server, ssl, sys, urllib.error, urllib.request
    target, certificate, key = sys.argv[1:4]
    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def forward(self, body=None):
            request = urllib.request.Request(target + self.path.removeprefix("/vf"), data=body, method=self.command)
            for name in ("Authorization", "Content-Type"):
                if self.headers.get(name): request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request, timeout=600) as answer: status, data = answer.status, answer.read()
            except urllib.error.HTTPError as error: status, data = error.code, error.read()
            except OSError: status, data = 502, b"bad gateway"
            self.send_response(status); self.send_header("Content-Length", str(len(data))); self.end_headers()
            self.wfile.write(data)
        def do_GET(self): self.forward()
        def do_POST(self): self.forward(self.rfile.read(int(self.headers["Content-Length"])))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("https://127.0.0.1:%d/vf/" % server.server_address[1], flush=True)
    server.serve_forever()
    """#

    func testWorkerServeBeyondLoopbackRefusesToStartWithoutAToken() throws {
        let run = try viewfinder("worker", "serve", "--host", "0.0.0.0", "--port", "0")
        if run.stderr.contains("not installed") { throw XCTSkip("the model worker is not installed (run scripts/setup.sh)") }
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("refusing to listen on 0.0.0.0 without a token"), run.stderr)
    }

    func testWorkerURLsAndTokenFilesAreCheckedBeforeAnythingRuns() throws {
        let scheme = try viewfinder("index", "--worker", "ftp://gpu-a/", scratch.path)
        XCTAssertNotEqual(scheme.status, 0)
        XCTAssertTrue(scheme.stderr.contains("--worker takes an http:// or https:// URL, not 'ftp://gpu-a/'"), scheme.stderr)
        let missing = try viewfinder("index", "--worker", "https://proxy/gpu-a/", "--worker-token-file", scratch.path + "/none", scratch.path)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("cannot read the worker token file"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "/catalogue.sqlite"), "nothing was indexed")
    }

    /// A frozen worker sends nothing, not even a reset: its health check gives it up.
    func testAFrozenWorkerIsGivenUpAndItsWorkDoneByTheOther() throws {
        try describeAll(stoppingTheFirstWith: SIGSTOP)
    }
}

private final class Stopped: @unchecked Sendable {
    var midRun = false
    let done = DispatchSemaphore(value: 0)
}
