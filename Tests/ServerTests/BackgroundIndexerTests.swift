import Foundation
@testable import Indexer
@testable import Server
import XCTest

/// A failed indexing run is retried, and the status page says why it failed meanwhile.
final class BackgroundIndexerTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws { fixture = try ServerFixture() }
    override func tearDown() { fixture = nil }

    func testAFailedRunIsRetriedAndShownMeanwhile() throws {
        let runs = RunLog()
        let secondMayRun = DispatchSemaphore(value: 0)
        let root = fixture.root
        let idled = RunLog()
        let indexer = BackgroundIndexer(library: fixture.library, roots: [root], excludes: [], firstRetry: 0.01,
                                        idle: { idled.add() }) { folders in
            if runs.count() == 0 {
                runs.add()
                throw IndexFault(message: "the catalogue is locked")
            }
            if runs.count() == 1 { secondMayRun.wait() }
            runs.add()
            var summary = IndexSummary()
            summary.roots = folders
            return summary
        }
        indexer.start()
        let failed = try waitFor { self.fixture.library.indexing.current.lastError != nil }
        XCTAssertTrue(failed.lastError?.contains("the catalogue is locked") == true, "\(failed)")
        XCTAssertEqual(failed.failedRuns, 1)
        secondMayRun.signal()
        let recovered = try waitFor { self.fixture.library.indexing.current.lastRunFinishedAt != nil }
        XCTAssertNil(recovered.lastError)
        XCTAssertEqual(recovered.failedRuns, 0)
        XCTAssertGreaterThanOrEqual(runs.count(), 2)
        _ = try waitFor { idled.count() >= 2 }  // the worker is let go after every run, failed or not
    }

    /// The indexing status once `done` holds; the bound only tells a stopped indexer from a slow one.
    private func waitFor(_ done: @escaping () -> Bool) throws -> IndexingStatus.State {
        let deadline = Date().addingTimeInterval(60)
        while !done() {
            guard Date() < deadline else { throw IndexFault(message: "background indexing never got there") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return fixture.library.indexing.current
    }
}

private struct IndexFault: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private final class RunLog: @unchecked Sendable {
    private let lock = NSLock()
    private var runs = 0
    func add() { lock.withLock { runs += 1 } }
    func count() -> Int { lock.withLock { runs } }
}
