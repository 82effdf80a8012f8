import Foundation
import Media
import ViewfinderCore

/// Small limits: a mutated header may declare any size, and the fuzzer must spend its time on parsing, not
/// on decoding legitimately huge pictures (the refusal path is exercised all the same).
let analyzer = PhotoAnalyzer(limits: IndexingLimits(maxPixels: 16_000_000))

/// libFuzzer's entry: one file's bytes through everything indexing does with them: sniffing, exiv2's
/// metadata reader (also as an XMP sidecar), the interpreters (face regions too), and the thumbnail and preview decoders.
/// A thrown `IndexProblem` is an answer; only a trap or an AddressSanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func readPhotoOnce(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Any bytes may be an XMP sidecar, which is read whatever the photo beside it is.
    let read = (try? MetadataReader.read(bytes)) ?? RawMetadata()
    _ = MetadataInterpreter.interpret(embedded: read, sidecar: read, format: .jpeg)
    _ = RegionInterpreter.regions(embedded: read, sidecar: read, orientation: 1 + Int(bytes.first ?? 0) % 8, width: 640, height: 480)
    _ = try? analyzer.analyze(bytes, fileExtension: "", sidecar: nil)
    guard let format = try? FormatSniffer.detect(bytes, fileExtension: "") else { return 0 }
    // A TIFF container is also a camera RAW's, whose embedded preview is decoded instead.
    if format == .tiff { _ = try? analyzer.analyze(bytes, fileExtension: "dng", sidecar: nil) }
    _ = try? analyzer.thumbnailer.preview(bytes, format: format, orientation: 1 + Int(bytes.last ?? 0) % 8)
    return 0
}

#if !FUZZING
/// Without libFuzzer (the ordinary build): replays the files named on the command line, so a crash file
/// can be rerun and debugged without the sanitizer build.
@main
enum Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { readPhotoOnce($0.baseAddress, $0.count) }
            print("ok: \(path)")
        }
    }
}
#endif
