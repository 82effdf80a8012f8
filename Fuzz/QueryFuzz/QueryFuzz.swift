import Foundation
import Search

/// libFuzzer's entry: one request through the parser and the engine, as `/api/search` and
/// `/api/photos/{id}/similar` make them. A thrown `QueryError` is an answer; only a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func searchOnce(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let request = SearchRequest(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    let engine = SmallLibrary.engine
    _ = try? QueryParser().parse(request.query)
    _ = try? engine.parse(request.query)
    _ = try? engine.search(request.query, limit: request.limit, cursor: request.cursor)
    _ = try? engine.search(request.query, limit: request.limit, cursor: request.cursor,
                           queryVectors: [SmallLibrary.model: SmallLibrary.queryVector], facets: false)
    _ = engine.similar(to: request.photo, limit: request.limit)
    return 0
}

#if !FUZZING
/// Without libFuzzer (the ordinary build): replays the inputs named on the command line, so a crash file
/// can be rerun and debugged without the sanitizer build.
@main
enum Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { searchOnce($0.baseAddress, $0.count) }
            print("ok: \(path)")
        }
    }
}
#endif
