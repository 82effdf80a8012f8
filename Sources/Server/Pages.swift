import Foundation
import Hummingbird

/// The web page: one HTML shell for every page (the script shows the right view), its script, style and
/// the OpenAPI file, read once from the binary's resources.
struct Pages: Sendable {
    /// Paths the shell answers; the script picks the view from the path.
    static let paths = ["/photo", "/people", "/duplicates", "/timeline", "/folders", "/status", "/help", "/login"]

    struct Asset: Sendable {
        var bytes: ByteBuffer
        var contentType: String
        var etag: String
    }

    let assets: [String: Asset]

    init() throws {
        guard let folder = Bundle.module.url(forResource: "Web", withExtension: nil) else {
            throw ConfigError(message: "the web page's files are missing beside the program (Viewfinder_Server.resources)")
        }
        let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                     "svg": "image/svg+xml", "yaml": "application/yaml; charset=utf-8"]
        var assets = [String: Asset]()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let type = types[(name as NSString).pathExtension] ?? "application/octet-stream"
            assets[name] = Asset(bytes: ByteBuffer(bytes: data), contentType: type, etag: Self.etag(data))
        }
        self.assets = assets
    }

    func add(to router: Router<ViewerContext>) {
        let shell = { @Sendable (request: Request, _: ViewerContext) -> Response in self.serve("index.html", request) }
        router.get("/", use: shell)
        for path in Self.paths {
            router.get(RouterPath(path), use: shell)
            router.get(RouterPath(path + "/**"), use: shell)
        }
        router.get("/assets/:name") { request, context -> Response in
            self.serve(try context.parameters.require("name"), request)
        }
        router.get("/favicon.svg") { request, _ in self.serve("favicon.svg", request) }
        router.get("/openapi.yaml") { request, _ in self.serve("openapi.yaml", request) }
    }

    /// FNV-1a of the bytes: enough to tell one build's file from another's.
    static func etag(_ data: Data) -> String {
        let hash = data.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        return "\"" + String(hash, radix: 16) + "\""
    }

    /// Revalidated on every load (ETag), so a new binary's page is never mixed with an old script.
    func serve(_ name: String, _ request: Request) -> Response {
        guard let asset = assets[name] else { return Response(status: .notFound) }
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"]
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }
}
