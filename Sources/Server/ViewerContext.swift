import Hummingbird
import HummingbirdAuth
import NIOCore

/// What a signed-in browser carries: the token its state-changing requests must echo.
public struct ViewerSession: Codable, Sendable {
    public var csrf: String
}

/// Per request: the session (when signed in) and who is asking, for the sign-in rate limit.
public struct ViewerContext: SessionRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<ViewerSession>
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        remoteAddress = source.channel.remoteAddress
    }
}
