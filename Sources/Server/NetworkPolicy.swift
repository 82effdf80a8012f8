import HTTPTypes
import Hummingbird

/// How the server sits on the network: the Host names it answers to, and whether a reverse proxy's
/// `X-Forwarded-*` headers are believed.
public struct NetworkPolicy: Sendable {
    /// Names a browser uses for this machine itself.
    public static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// Host names (no port) requests may carry; nil answers any (the server has a password then).
    public var allowedHosts: Set<String>?
    /// Set only behind a proxy the user runs: anyone else could send these headers.
    public var trustProxy: Bool

    public init(allowedHosts: Set<String>? = nil, trustProxy: Bool = false) {
        self.allowedHosts = allowedHosts.map { Set($0.map { Self.name(ofHost: $0) }) }
        self.trustProxy = trustProxy
    }

    /// A password-less server on loopback answers only to this machine's names (and those given): any web page
    /// could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and read the library.
    public static func serving(on host: String, access: AccessPolicy, extraHosts: [String], trustProxy: Bool) -> NetworkPolicy {
        let guarded = AccessPolicy.isLoopback(host) && !access.requiresSignIn
        return NetworkPolicy(allowedHosts: guarded ? loopbackNames.union(extraHosts) : nil, trustProxy: trustProxy)
    }

    /// `Host` without its port, lower-cased; an IPv6 address keeps its brackets.
    static func name(ofHost host: String) -> String {
        let lowered = host.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") { return String(lowered[...close]) }
        return String(lowered.prefix { $0 != ":" })
    }

    /// Who is asking. Behind a trusted proxy, the address it appended last to X-Forwarded-For (earlier entries
    /// come from the client and may be forged); otherwise the connection's.
    func clientAddress(_ request: Request, _ context: ViewerContext) -> String? {
        if trustProxy, let forwarded = Self.lastValue(request.headers[values: Self.forwardedFor]) { return forwarded }
        return context.remoteAddress?.ipAddress
    }

    /// Whether the browser reached the trusted proxy over TLS (its cookies may then be marked Secure).
    func cameOverTLS(_ request: Request) -> Bool {
        trustProxy && Self.lastValue(request.headers[values: Self.forwardedProto])?.lowercased() == "https"
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// The last entry of a comma-separated header, which may be sent as several fields.
    private static func lastValue(_ fields: [String]) -> String? {
        guard let last = fields.last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return nil }
        return last
    }
}
