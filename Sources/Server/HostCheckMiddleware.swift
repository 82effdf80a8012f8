import Hummingbird

/// Refuses requests whose Host the network policy does not allow, before anything else reads them.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = ViewerContext
    let allowed: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // No Host at all is no browser (they always send one), so no rebinding page either.
        if let host = request.head.authority, !allowed.contains(NetworkPolicy.name(ofHost: host)) {
            throw HTTPError(.forbidden, message: """
                this server answers only to \(allowed.sorted().joined(separator: ", ")), not to \(host.prefix(100)): \
                a web page may be trying to reach it under another name; to use that name, serve with --allow-host
                """)
        }
        return try await next(request, context)
    }
}
