import Foundation
import TestSupport
import Vision
import XCTest

/// The supervisor against a stand-in worker that speaks protocol v1 and misbehaves on cue: it dies on
/// 13-pixel-wide pictures, hangs on 17-pixel-wide ones, and is slow on 19-pixel-wide ones.
final class WorkerSupervisionTests: XCTestCase {
    var scratch: ScratchFolder!
    var script: String { scratch.path + "/fake_worker.py" }

    override func setUpWithError() throws {
        scratch = try ScratchFolder("vision")
        try Self.fakeWorker.write(toFile: script, atomically: true, encoding: .utf8)
    }

    override func tearDown() { scratch.remove() }

    static let fakeWorker = #"""
    import json, os, struct, sys, time
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    def read(n):
        data = b""
        while len(data) < n:
            chunk = stdin.read(n - len(data))
            if not chunk: sys.exit(0)
            data += chunk
        return data
    def send(header):
        header["v"] = 1
        body = json.dumps(header).encode()
        stdout.write(struct.pack(">II", 4 + len(body), len(body)) + body)
        stdout.flush()
    while True:
        (length,) = struct.unpack(">I", read(4))
        frame = read(length)
        (header_length,) = struct.unpack(">I", frame[:4])
        header = json.loads(frame[4:4 + header_length])
        if header["op"] == "hello":
            send({"ok": True, "models": ["fake"], "pid": os.getpid()})
        elif header["op"] == "shutdown":
            send({"ok": True, "bye": True}); sys.exit(0)
        elif header["op"] == "describe":
            results = []
            for image in header["images"]:
                if image["width"] == 13: os._exit(1)
                if image["width"] == 17: time.sleep(3600)
                if image["width"] == 19: time.sleep(0.4)
                results.append({"id": image["id"], "caption": "A %dx%d picture." % (image["width"], image["height"]),
                                "labels": [{"name": "test", "score": 0.5}], "text": "", "faces": [], "place": None,
                                "vectors": {"fake": [1.0, 0.0]}})
            send({"ok": True, "results": results})
    """#

    func request(width: Int) -> DescribeRequest {
        DescribeRequest(rgb: [UInt8](repeating: 0, count: width * 2 * 3), width: width, height: 2, taken: nil, latitude: nil, longitude: nil)
    }

    func client(timeout: Double = 5) throws -> (WorkerClient, WorkerProcess) {
        let process = WorkerProcess(command: ["/usr/bin/env", "python3", script], logPath: scratch.path + "/worker.log")
        let client = WorkerClient(transport: process, timeoutPerPhoto: timeout)
        _ = try client.connect()
        return (client, process)
    }

    func testBatchIsDescribedInOrder() throws {
        let (client, process) = try client()
        defer { client.shutdown() }
        XCTAssertEqual(client.models, ["fake"])
        let results = try client.describe([request(width: 4), request(width: 5)])
        XCTAssertEqual(try results.map { try $0.get().caption }, ["A 4x2 picture.", "A 5x2 picture."])
        XCTAssertEqual(try results[0].get().vectors["fake"], [1, 0])
        XCTAssertNotNil(process.pid)
    }

    func testAReleasedWorkerLeavesAndComesBackForTheNextPhoto() throws {
        let (client, process) = try client()
        defer { client.shutdown() }
        let first = try XCTUnwrap(process.pid)
        client.release()
        XCTAssertNil(process.pid, "the idle worker's process is gone")
        XCTAssertNotEqual(kill(first, 0), 0, "and it has exited")
        let results = try client.describe([request(width: 4)])
        XCTAssertEqual(try results[0].get().caption, "A 4x2 picture.")
        XCTAssertNotEqual(try XCTUnwrap(process.pid), first, "a new worker answered")
    }

    func testPhotoThatKillsTheWorkerIsTheOnlyOneRecorded() throws {
        let (client, process) = try client()
        defer { client.shutdown() }
        let firstPid = process.pid
        let results = try client.describe([request(width: 4), request(width: 13), request(width: 6)])
        XCTAssertEqual(try results[0].get().caption, "A 4x2 picture.")
        XCTAssertEqual(try results[2].get().caption, "A 6x2 picture.")
        guard case let .failure(error) = results[1] else { return XCTFail("the crashing photo was described") }
        XCTAssertTrue(error.reason.contains("failed twice"), error.reason)
        XCTAssertTrue(error.reason.contains("exited in the middle of a request"), error.reason)
        XCTAssertNotEqual(process.pid, firstPid, "the worker was restarted")
        XCTAssertEqual(try client.describe([request(width: 8)])[0].get().caption, "A 8x2 picture.")
    }

    func testHungWorkerIsKilledAtTheDeadline() throws {
        let (client, _) = try client(timeout: 0.5)
        defer { client.shutdown() }
        let started = Date()
        let results = try client.describe([request(width: 17), request(width: 4)])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        guard case let .failure(error) = results[0] else { return XCTFail("a hung request succeeded") }
        XCTAssertTrue(error.reason.contains("time limit"), error.reason)
        XCTAssertEqual(try results[1].get().caption, "A 4x2 picture.")
    }

    func testWorkerKilledMidBatchLosesNothing() throws {
        let (client, process) = try client()
        defer { client.shutdown() }
        let pid = try XCTUnwrap(process.pid)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.6) { kill(pid, SIGKILL) }
        let results = try client.describe((0..<4).map { _ in request(width: 19) })
        XCTAssertEqual(try results.map { try $0.get().caption }, Array(repeating: "A 19x2 picture.", count: 4))
        XCTAssertNotEqual(process.pid, pid)
    }

    func testMissingWorkerProgramIsUnavailableNotAPhotoError() {
        let client = WorkerClient(transport: WorkerProcess(command: ["/nonexistent/python"]))
        XCTAssertThrowsError(try client.describe([request(width: 4)])) { error in
            XCTAssertTrue((error as? VisionError)?.unavailable == true)
        }
    }

    func testBatchingDescriberGroupsConcurrentCallers() throws {
        let (client, _) = try client()
        defer { client.shutdown() }
        let counted = BatchCounter(client)
        let describer = BatchingDescriber(counted, maxBatch: 8)
        let captions = ConcurrentList()
        // The first picture is slow (19 px): the others arrive while it is out and must share batches.
        let requests = ([19] + Array(20..<32)).map(request(width:))
        // One thread per caller (concurrentPerform would run only as many as there are cores).
        let done = DispatchGroup()
        for (index, picture) in requests.enumerated() {
            done.enter()
            Thread.detachNewThread {
                if index > 0 { Thread.sleep(forTimeInterval: 0.05) }
                if case let .success(description) = describer.describe(picture) { captions.append(description.caption) }
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(Set(captions.items), Set(([19] + Array(20..<32)).map { "A \($0)x2 picture." }))
        let sizes = counted.sizes
        XCTAssertEqual(sizes.reduce(0, +), requests.count, "every picture went out once")
        XCTAssertLessThan(sizes.count, requests.count, "callers were grouped: \(sizes)")
        XCTAssertGreaterThan(sizes.max() ?? 0, 1, "\(sizes)")
        XCTAssertLessThanOrEqual(sizes.max() ?? 0, 8, "no batch beyond maxBatch: \(sizes)")
    }
}

/// A service that notes the size of every batch sent through it.
final class BatchCounter: VisionService, @unchecked Sendable {
    let inner: VisionService
    private let lock = NSLock()
    private var batches = [Int]()

    init(_ inner: VisionService) { self.inner = inner }

    var sizes: [Int] { lock.withLock { batches } }
    var models: [String] { inner.models }

    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        lock.withLock { batches.append(requests.count) }
        return try inner.describe(requests)
    }

    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { try inner.embed(texts) }
    func shutdown() { inner.shutdown() }
}

final class ConcurrentList: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items = [String]()
    func append(_ item: String) { lock.withLock { items.append(item) } }
}
