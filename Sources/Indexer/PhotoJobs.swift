import Foundation
import Media
import Catalogue
import ViewfinderCore
import Vision

/// The work of one job, on a worker thread: read the file once, then decide what changed.
struct PhotoJobs: Sendable {
    let store: PhotoStore
    let renditions: RenditionStore
    let analyzer: PhotoAnalyzer
    let videos: VideoAnalyzer
    let limits: IndexingLimits
    var describer: BatchingDescriber?
    var writeBack: WriteBackMode?
    var readText = true
    /// Whether previews are wanted this run: then a JPEG's thumbnail decode makes its preview too.
    var previews = false
    /// Previews the index jobs made, for the run's summary.
    let previewsMade = PreviewCount()

    func run(_ job: JobRecord) -> CatalogueChange {
        switch job.kind {
        case .index: return index(path: job.target)
        case .preview: return preview(hash: job.target)
        case .describe: return describe(photoID: Int64(job.target) ?? -1)
        }
    }

    /// The answer for a job whose thread ran past its deadline.
    func overdue(_ job: JobRecord, seconds: Double) -> CatalogueChange {
        abandoned(job, because: "took longer than \(Int(seconds)) s and was abandoned (a hostile or enormous file?)")
    }

    /// Time to read a large file (a 4K video of gigabytes) on top of the deadline, at the pace of a slow share, so
    /// only a file that hangs its decoder is abandoned, not one that is merely big.
    func readingAllowance(_ job: JobRecord) -> Double {
        guard job.kind == .index, let size = FileReading.state(of: job.target)?.size else { return 0 }
        return Double(size) / Self.slowShareBytesPerSecond
    }

    static let slowShareBytesPerSecond = 10e6

    /// The answer for a file the process crashed on twice: recorded, and tried again only once it changes.
    func givenUp(_ job: JobRecord) -> CatalogueChange {
        abandoned(job, because: "the indexer crashed \(job.crashes) times while reading this file (a bug in a decoder); skipped")
    }

    /// A file that cannot be indexed is an error; a preview that cannot be made leaves the photo as it is.
    private func abandoned(_ job: JobRecord, because reason: String) -> CatalogueChange {
        switch job.kind {
        case .index:
            let state = FileReading.state(of: job.target)
            return .failed(ProblemRecord(path: job.target, fileSize: state?.size ?? 0, modifiedAt: state?.modifiedAt ?? 0,
                                         problem: IndexProblem(.decode, reason), recordedAt: now))
        case .preview:
            let path = (try? store.photos(withContentHash: job.target).first?.path) ?? job.target
            return .warning(ProblemRecord(path: path, fileSize: 0, modifiedAt: 0,
                                          problem: IndexProblem(.preview, .warning, reason), recordedAt: now))
        case .describe:
            let path = Int64(job.target).flatMap { try? store.photo(id: $0)?.path } ?? "photo \(job.target)"
            return .warning(ProblemRecord(path: path, fileSize: 0, modifiedAt: 0,
                                          problem: IndexProblem(.vision, reason), recordedAt: now))
        }
    }

    var now: Double { Date().timeIntervalSince1970 }

    private func index(path: String) -> CatalogueChange {
        guard let before = FileReading.state(of: path) else { return .gone(path: path) }
        func failure(_ problem: IndexProblem) -> CatalogueChange {
            .failed(ProblemRecord(path: path, fileSize: before.size, modifiedAt: before.modifiedAt, problem: problem,
                                  recordedAt: now))
        }
        do {
            let ext = URL(fileURLWithPath: path).pathExtension
            // A video is streamed through the hash and handed to FFmpeg by path; content still decides what it is.
            let videoName = FormatSniffer.videoExtensions.contains(ext.lowercased())
            // The machine's fault, not the file's: recorded without its size and time, so the next run tries again.
            if videoName, let missing = VideoAnalyzer.missingTool {
                return .failed(ProblemRecord(path: path, fileSize: 0, modifiedAt: 0, problem: missing, recordedAt: now))
            }
            var (bytes, hash) = videoName ? try FileReading.headHashed(path, head: FormatSniffer.headerLength)
                : try FileReading.readHashed(path, limit: limits.maxFileBytes)
            let video = videoName ? try FormatSniffer.detect(bytes, fileExtension: ext) : nil
            // A photo under a video's name is read whole and indexed as the photo it is (with a warning).
            if let video, !video.isVideo { (bytes, hash) = try FileReading.readHashed(path, limit: limits.maxFileBytes) }
            let sidecarPath = LibraryWalker.sidecarPath(for: path)
            let sidecarState = sidecarPath.flatMap(FileReading.state(of:))
            let existing = try store.photo(atPath: path)
            if let existing, existing.contentHash == hash.hex, existing.sidecarModifiedAt == sidecarState?.modifiedAt {
                return .touched(path: path, fileSize: before.size, modifiedAt: before.modifiedAt)
            }
            let siblings = try store.photos(withContentHash: hash.hex)
            if existing == nil, let moved = siblings.first(where: \.missing), let id = moved.id,
               moved.sidecarModifiedAt == sidecarState?.modifiedAt {
                return .moved(photoID: id, path: path, fileSize: before.size, modifiedAt: before.modifiedAt)
            }
            let sibling = siblings.first { $0.path == path } ?? siblings.first
            let hasThumbnail = try sibling != nil && renditions.contains(hash: hash.hex, kind: .thumbnail)
            let sidecar = try sidecarPath.map { path throws(IndexProblem) in try FileReading.read(path, limit: 16 << 20) }
            let hasPreview = try renditions.contains(hash: hash.hex, kind: .preview)
            let knownSize = hasThumbnail ? sibling.map { ($0.width, $0.height) } : nil
            let analyzed = if let video, video.isVideo {
                try videos.analyze(path: path, format: video, sidecar: sidecar,
                                   embeddedXMP: [.mp4, .quicktime, .threeGPP].contains(video) ? VideoXMP.read(path) : nil, knownSize: knownSize)
            } else {
                try analyzer.analyze(bytes, fileExtension: ext, sidecar: sidecar, knownSize: knownSize, preview: previews && !hasPreview)
            }
            // Both before the row that refers to them: a kill in between only repeats the work.
            if let thumbnail = analyzed.thumbnail {
                try renditions.put(thumbnail.webp, hash: hash.hex, kind: .thumbnail)
            }
            if let preview = analyzed.preview {
                try renditions.put(preview, hash: hash.hex, kind: .preview)
                previewsMade.add()
            }
            let record = PhotoRecord(
                path: path, fileSize: before.size, modifiedAt: before.modifiedAt,
                sidecarModifiedAt: sidecarState?.modifiedAt, contentHash: hash, metadata: analyzed.metadata,
                thumbhash: analyzed.thumbnail?.thumbhash ?? sibling?.thumbhash.map { [UInt8]($0) }, indexedAt: now,
                perceptualHash: analyzed.thumbnail?.perceptualHash ?? sibling?.looks)
            // Without one, a preview job is queued even when previews are off: a later run with them makes it.
            return .photo(record, warnings: analyzed.warnings, needsPreview: !hasPreview && analyzed.preview == nil)
        } catch let problem as IndexProblem {
            return failure(problem)
        } catch {
            // The catalogue or thumbnail store failing (a full disk) is no fault of the photo's.
            return .stopped(StoreFailure.of(error, file: "the data folder"))
        }
    }

    private func preview(hash: String) -> CatalogueChange {
        do {
            let holders = try store.photos(withContentHash: hash).filter { !$0.missing }
            for photo in holders {
                let format = MediaFormat(rawValue: photo.format) ?? .jpeg
                guard let file = try? format.isVideo ? FileReading.headHashed(photo.path, head: 0)
                        : FileReading.readHashed(photo.path, limit: limits.maxFileBytes),
                      file.hash.hex == hash else { continue }  // changed since: its own job will follow
                do {
                    let jpeg = format.isVideo ? try videos.posterFrame(path: photo.path, duration: photo.duration)
                        : try analyzer.thumbnailer.preview(file.bytes, format: format, orientation: photo.orientation)
                    try renditions.put(jpeg, hash: hash, kind: .preview)
                    return .previewed
                } catch let problem as IndexProblem {
                    return .warning(ProblemRecord(path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                                                  problem: IndexProblem(.preview, .warning, problem.reason), recordedAt: now))
                }
            }
            return .previewed  // no file holds this content any more: nothing to render
        } catch {
            return .stopped(StoreFailure.of(error, file: "the data folder"))
        }
    }
}

/// Counts what the worker threads made, for the coordinator to read once they are done.
final class PreviewCount: @unchecked Sendable {
    private let lock = NSLock()
    private var made = 0

    func add() { lock.withLock { made += 1 } }
    var total: Int { lock.withLock { made } }
}
