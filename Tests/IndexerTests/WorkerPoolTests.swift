import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue
import Media
import ViewfinderCore

final class WorkerPoolTests: XCTestCase {
    func testAJobPastItsDeadlineIsAnsweredForAndTheOthersCarryOn() {
        let pool = WorkerPool(
            threads: 1, deadline: 0.3,
            work: { job in
                if job.target == "hangs" { Thread.sleep(forTimeInterval: 3) }
                return .gone(path: job.target)
            },
            overdue: { job, _ in .failed(ProblemRecord(path: job.target, fileSize: 0, modifiedAt: 0,
                                                       problem: .init(.decode, "too slow"), recordedAt: 0)) })
        defer { pool.stop() }
        pool.submit([JobRecord(kind: .index, target: "hangs"), JobRecord(kind: .index, target: "fine")])
        var finished = [FinishedJob]()
        let deadline = Date().addingTimeInterval(2.5)
        while finished.count < 2 && Date() < deadline { finished += pool.collect(timeout: 0.1) }
        XCTAssertEqual(finished.count, 2, "the stuck thread was replaced before it returned")
        let hung = finished.first { $0.job.target == "hangs" }
        guard case .failed(let problem)? = hung?.change else { return XCTFail("expected a failure for the stuck job") }
        XCTAssertEqual(problem.reason, "too slow")
    }

    func testABigFilesAllowanceLetsItRunPastTheDeadline() {
        let pool = WorkerPool(
            threads: 1, deadline: 0.2, allowance: { $0.target == "big" ? 2 : 0 },
            work: { job in
                Thread.sleep(forTimeInterval: 0.6)
                return .gone(path: job.target)
            },
            overdue: { job, _ in .failed(ProblemRecord(path: job.target, fileSize: 0, modifiedAt: 0,
                                                       problem: .init(.decode, "too slow"), recordedAt: 0)) })
        defer { pool.stop() }
        pool.submit([JobRecord(kind: .index, target: "big"), JobRecord(kind: .index, target: "small")])
        var finished = [FinishedJob]()
        let deadline = Date().addingTimeInterval(4)
        while finished.count < 2 && Date() < deadline { finished += pool.collect(timeout: 0.1) }
        guard case .gone? = finished.first(where: { $0.job.target == "big" })?.change else {
            return XCTFail("the big file had time to be read")
        }
        guard case .failed? = finished.first(where: { $0.job.target == "small" })?.change else {
            return XCTFail("a small file that long is abandoned")
        }
    }

    func testTheAllowanceFollowsTheFilesSize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("allowance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.mp4").path
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        XCTAssertEqual(truncate(big, 1_000_000_000), 0)  // sparse: a gigabyte that takes no disk
        let jobs = PhotoJobs(store: try SQLiteStore(path: folder.path + "/catalogue.sqlite"),
                             renditions: try SQLiteRenditionStore(path: folder.path + "/thumbnails.sqlite"),
                             analyzer: PhotoAnalyzer(), videos: VideoAnalyzer(), limits: IndexingLimits())
        XCTAssertEqual(jobs.readingAllowance(JobRecord(kind: .index, target: big)), 100, accuracy: 0.001)
        XCTAssertEqual(jobs.readingAllowance(JobRecord(kind: .preview, target: "hash")), 0)
    }
}
