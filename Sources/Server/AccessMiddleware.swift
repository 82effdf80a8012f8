import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Sign-in where the policy asks for it, and the cross-site request check on everything that changes state.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ViewerContext
    static let tokenHeader = HTTPField.Name("X-Viewfinder-Token")!
    let access: AccessPolicy
    let network: NetworkPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get && request.method != .head {
            try refuseCrossSite(request, context)
        }
        if access.requiresSignIn, context.sessions.session == nil, !open(request, context) {
            let path = request.uri.path
            if path == "/" || Pages.paths.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
                return .redirect(to: "/login?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            throw HTTPError(.unauthorized, message: "sign in first")
        }
        return try await next(request, context)
    }

    /// An Origin from elsewhere, or a missing token (which only this site's pages can read), is refused.
    private func refuseCrossSite(_ request: Request, _ context: Context) throws {
        if let origin = request.headers[.origin], let host = request.head.authority,
           origin != "http://" + host, origin != "https://" + host {
            throw HTTPError(.forbidden, message: "cross-site request refused (Origin \(origin))")
        }
        let expected = context.sessions.session?.csrf ?? access.pageToken
        guard request.headers[Self.tokenHeader] == expected else {
            throw HTTPError(.forbidden, message: "cross-site request refused: missing or stale X-Viewfinder-Token")
        }
    }

    /// What a signed-out visitor may reach: the sign-in page and what it needs; metrics from this machine (behind
    /// a trusted proxy on this machine every connection is local, so the forwarded address decides).
    private func open(_ request: Request, _ context: Context) -> Bool {
        let path = request.uri.path
        if ["/login", "/api/session", "/api/login", "/favicon.svg"].contains(path) || path.hasPrefix("/assets/") { return true }
        if path == "/metrics", let address = network.clientAddress(request, context) { return AccessPolicy.isLoopback(address) }
        return false
    }
}
