import Foundation
import Hummingbird
import Store

/// Thumbnails, previews and originals, by photo id only: the request names a number, the catalogue names
/// the file, so no path from outside ever reaches the file system.
struct PictureRoutes: Sendable {
    let library: LiveLibrary

    func add(to router: Router<ViewerContext>) {
        router.get("/thumb/:id") { request, context in try rendition(.thumbnail, "image/webp", request, context) }
        router.get("/preview/:id") { request, context in try rendition(.preview, "image/jpeg", request, context) }
        router.get("/original/:id") { request, context in try await original(request, context) }
    }

    /// Keyed by content hash, so the address with `?v=` (the hash's start) can be cached for good.
    func rendition(_ kind: RenditionKind, _ type: String, _ request: Request, _ context: ViewerContext) throws -> Response {
        let entry = try photo(context)
        let etag = "\"\(entry.contentHash)\""
        let versioned = request.uri.queryParameters.get("v").map { !$0.isEmpty && entry.contentHash.hasPrefix($0) } ?? false
        var headers: HTTPFields = [.eTag: etag, .cacheControl: versioned ? "private, max-age=31536000, immutable" : "private, no-cache"]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        guard let bytes = try library.renditions.get(hash: entry.contentHash, kind: kind) else {
            throw HTTPError(.notFound, message: "no \(kind.rawValue) for photo \(entry.id) yet")
        }
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The file as it is on disk; refused when the recorded path no longer leads straight to a regular file
    /// (replaced by a symbolic link, say).
    func original(_ request: Request, _ context: ViewerContext) async throws -> Response {
        let entry = try photo(context)
        let path = entry.absolutePath
        guard let bytes = await Task.detached(operation: { Self.readPlainFile(path) }).value else {
            throw HTTPError(.notFound, message: "the original of photo \(entry.id) is not where it was indexed")
        }
        let name = (path as NSString).lastPathComponent
        let ascii = String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 })
        var headers: HTTPFields = [.contentType: entry.format.mediaType, .cacheControl: "private, no-cache", .eTag: "\"\(entry.contentHash)\""]
        let disposition = request.uri.queryParameters.get("download") != nil ? "attachment" : "inline"
        headers[.contentDisposition] = "\(disposition); filename=\"\(ascii)\"; filename*=UTF-8''"
            + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "photo")
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func photo(_ context: ViewerContext) throws -> PhotoEntry {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let entry = library.snapshot.photos[id] else { throw HTTPError(.notFound, message: "no photo \(id)") }
        return entry
    }

    /// Opened without following a final symbolic link, and only when no folder on the way is one either.
    static func readPlainFile(_ path: String) -> [UInt8]? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        guard String(cString: resolved) == path else { return nil }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { return nil }
            filled += count
        }
        return bytes
    }
}
