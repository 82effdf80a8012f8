import XCTest
import TestSupport

/// Runs the built `viewfinder` binary, as a script or a person would.
class CLITestCase: XCTestCase {
    var scratch: ScratchFolder!
    var data: String { scratch.path + "/data" }

    override func setUpWithError() throws { scratch = try ScratchFolder("cli") }

    override func tearDown() { scratch.remove() }

    /// The binary built beside the test bundle (`swift build` puts both in one products folder).
    var binary: String {
        get throws {
            let candidates = [Bundle.main.bundleURL, Bundle(for: CLITestCase.self).bundleURL.deletingLastPathComponent()]
                .map { $0.appendingPathComponent("viewfinder").path }
            guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
                throw XCTSkip("the viewfinder binary is not built next to the tests; run `swift build` first")
            }
            return found
        }
    }

    @discardableResult
    func viewfinder(_ arguments: String...) throws -> (stdout: String, stderr: String, status: Int32) {
        try runProgram(try binary, arguments, environment: ["VIEWFINDER_DATA": data])
    }

    func json(_ arguments: String...) throws -> Any {
        let result = try runProgram(try binary, arguments, environment: ["VIEWFINDER_DATA": data])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func corpusFiles(_ folder: String) throws -> [URL] {
        let (url, reason) = Corpus.folder(folder)
        guard let url else { throw XCTSkip(reason) }
        return Corpus.files(in: url)
    }
}
