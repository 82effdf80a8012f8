import Foundation
import Hummingbird
import HummingbirdAuth

/// `/api/session`, `/api/login`, `/api/logout`: sign-in with the library's password, rate-limited.
struct SessionRoutes: Sendable {
    let access: AccessPolicy
    let network: NetworkPolicy
    let limiter = SignInLimiter()
    let checks = PasswordChecks.shared

    struct SignIn: Decodable {
        var password: String
    }

    func add(to router: Router<ViewerContext>) {
        router.get("/api/session") { _, context -> Response in
            let session = context.sessions.session
            return try Response.json(SessionAnswer(signInRequired: access.requiresSignIn, signedIn: session != nil,
                                           token: session?.csrf ?? access.pageToken))
        }
        router.post("/api/login") { request, context in try await signIn(request, context) }
        router.post("/api/logout") { _, context in
            context.sessions.clearSession()
            return Response(status: .noContent)
        }
    }

    func signIn(_ request: Request, _ context: ViewerContext) async throws -> Response {
        guard access.requiresSignIn else { throw HTTPError(.badRequest, message: "this server has no password: nothing to sign in to") }
        let address = network.clientAddress(request, context) ?? "unknown"
        let attempt = try await request.decode(as: SignIn.self, context: context)
        if let seconds = limiter.reserve(address) {
            var response = try Response.json(ErrorAnswer(error: "too many wrong passwords: try again in \(seconds) s"),
                                             status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let access = self.access
        guard await checks.check({ access.verify(attempt.password) }) else {
            context.logger.warning("wrong password", metadata: ["address": "\(address)"])
            return try Response.json(ErrorAnswer(error: "wrong password"), status: .unauthorized)
        }
        limiter.succeeded(address)
        context.sessions.setSession(ViewerSession(csrf: AccessPolicy.randomToken()), expiresIn: .seconds(30 * 24 * 3600))
        return Response(status: .noContent)
    }
}
