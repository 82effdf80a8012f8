import XCTest
@testable import Indexer
import Catalogue
import SQLiteCatalogue

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
}
