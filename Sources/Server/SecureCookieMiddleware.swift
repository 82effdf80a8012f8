import Hummingbird

/// Marks the session cookie Secure when the browser came over TLS through a trusted proxy, so it is never
/// sent back over plain HTTP; the cookie is set further in (SessionMiddleware), so this edits the answer.
struct SecureCookieMiddleware: RouterMiddleware {
    typealias Context = ViewerContext
    let network: NetworkPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard network.cameOverTLS(request) else { return response }
        let cookies = response.headers[values: .setCookie]
        guard !cookies.isEmpty else { return response }
        response.headers[values: .setCookie] = cookies.map { $0.lowercased().contains("; secure") ? $0 : $0 + "; Secure" }
        return response
    }
}
