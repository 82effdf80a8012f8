import Foundation
import Hummingbird
import Catalogue

/// Thumbnails, previews and originals, by photo id only: the request names a number, the catalogue names
/// the file, so no path from outside ever reaches the file system.
struct PictureRoutes: Sendable {
    let library: LiveLibrary

    func add(to router: Router<ViewerContext>) {
        router.get("/thumb/:id") { request, context in try await rendition(.thumbnail, "image/webp", request, context) }
        router.get("/preview/:id") { request, context in try await rendition(.preview, "image/jpeg", request, context) }
        router.get("/original/:id") { request, context in try await original(request, context) }
    }

    /// Keyed by content hash, so the address with `?v=` (the hash's start) can be cached for good.
    func rendition(_ kind: RenditionKind, _ type: String, _ request: Request, _ context: ViewerContext) async throws -> Response {
        let entry = try photo(context)
        let etag = "\"\(entry.contentHash)\""
        let versioned = request.uri.queryParameters.get("v").map { !$0.isEmpty && entry.contentHash.hasPrefix($0) } ?? false
        var headers: HTTPFields = [.eTag: etag, .cacheControl: versioned ? "private, max-age=31536000, immutable" : "private, no-cache"]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        let renditions = library.renditions
        guard let bytes = try await BlockingWork.run({ try renditions.get(hash: entry.contentHash, kind: kind) }) else {
            throw HTTPError(.notFound, message: "no \(kind.rawValue) for photo \(entry.id) yet")
        }
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The file as it is on disk, streamed (originals may be gigabytes), a part of it when a `Range` asks;
    /// refused when the recorded path no longer leads straight to a regular file (replaced by a symbolic link, say).
    func original(_ request: Request, _ context: ViewerContext) async throws -> Response {
        let entry = try photo(context)
        let path = entry.absolutePath
        // A named library not mounted here keeps its catalogue form (`NAME:/…`): say so rather than "moved".
        if !path.hasPrefix("/"), let name = path.split(separator: ":", maxSplits: 1).first {
            throw HTTPError(.notFound, message: "photo \(entry.id) is in library '\(name)', which is not mounted on this machine")
        }
        guard let file = try await BlockingWork.run({ PlainFile(path) }) else {
            throw HTTPError(.notFound, message: "the original of photo \(entry.id) is not where it was indexed")
        }
        let name = (path as NSString).lastPathComponent
        let ascii = String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 })
        // This version of the file, as opened: an edit since indexing (the catalogue's hash is older) changes it too.
        let etag = "\"\(entry.contentHash.prefix(16))-\(file.size)-\(file.modified)\""
        var headers: HTTPFields = [.contentType: entry.format.mediaType, .cacheControl: "private, no-cache", .eTag: etag, .acceptRanges: "bytes"]
        let disposition = request.uri.queryParameters.get("download") != nil ? "attachment" : "inline"
        headers[.contentDisposition] = "\(disposition); filename=\"\(ascii)\"; filename*=UTF-8''"
            + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "photo")
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        // A range of another version of the file (If-Range names an older ETag) would splice two files: send it whole.
        let sameVersion = request.headers[.ifRange].map { $0 == etag } ?? true
        switch ByteRange(sameVersion ? request.headers[.range] : nil, size: file.size) {
        case .whole:
            return Response(status: .ok, headers: headers, body: file.size == 0 ? ResponseBody() : Self.stream(file, 0...(file.size - 1)))
        case .span(let span):
            headers[.contentRange] = "bytes \(span.lowerBound)-\(span.upperBound)/\(file.size)"
            return Response(status: .partialContent, headers: headers, body: Self.stream(file, span))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }

    /// Read a chunk at a time on the blocking pool; the file is closed when the body is done with it.
    static func stream(_ file: PlainFile, _ span: ClosedRange<Int64>) -> ResponseBody {
        ResponseBody(contentLength: Int(span.upperBound - span.lowerBound + 1)) { writer in
            var offset = span.lowerBound
            while offset <= span.upperBound {
                let count = Int(min(Int64(chunkBytes), span.upperBound - offset + 1))
                let chunk = try await BlockingWork.run { [offset] in try file.read(at: offset, count: count) }
                // The file shrank since it was opened: the response ends short rather than padded.
                guard !chunk.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: chunk))
                offset += Int64(chunk.count)
            }
            try await writer.finish(nil)
        }
    }

    /// Large enough that a thread-pool hop per chunk costs little, small enough to hold per download.
    static let chunkBytes = 256 << 10

    private func photo(_ context: ViewerContext) throws -> PhotoEntry {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let entry = library.snapshot.photos[id] else { throw HTTPError(.notFound, message: "no photo \(id)") }
        return entry
    }
}
