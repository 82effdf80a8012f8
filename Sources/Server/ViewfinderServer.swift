import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Metrics
import Prometheus

/// The web page and its API over one library: routes, sign-in, metrics and request logs put together.
public struct ViewfinderServer: Sendable {
    public let library: LiveLibrary
    public let access: AccessPolicy
    public let network: NetworkPolicy
    public let metrics: PrometheusCollectorRegistry
    let sessions: CatalogueSessions

    /// - Parameter metrics: the registry swift-metrics reports into (bootstrapped once per process by the caller).
    public init(library: LiveLibrary, access: AccessPolicy, network: NetworkPolicy = NetworkPolicy(),
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.library = library
        self.access = access
        self.network = network
        self.metrics = metrics
        sessions = CatalogueSessions(store: library.store)
    }

    public func router(logRequests: Logger.Level = .info) throws -> Router<ViewerContext> {
        let router = Router(context: ViewerContext.self)
        router.middlewares.add(LogRequestsMiddleware(logRequests))
        router.middlewares.add(MetricsMiddleware())
        if let allowed = network.allowedHosts { router.middlewares.add(HostCheckMiddleware(allowed: allowed)) }
        router.middlewares.add(SecureCookieMiddleware(network: network))
        router.middlewares.add(SessionMiddleware(storage: sessions, configuration: .init(
            sessionCookieParameters: .init(name: "viewfinder_session", sameSite: .strict),
            defaultSessionExpiration: .seconds(30 * 24 * 3600))))
        router.middlewares.add(AccessMiddleware(access: access, network: network))
        try Pages().add(to: router)
        SessionRoutes(access: access, network: network).add(to: router)
        SearchRoutes(library: library).add(to: router)
        BrowseRoutes(library: library).add(to: router)
        PeopleRoutes(library: library).add(to: router)
        DuplicateRoutes(library: library).add(to: router)
        PictureRoutes(library: library).add(to: router)
        router.get("/metrics") { [metrics] _, _ in
            var text = [UInt8]()
            metrics.emit(into: &text)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        return router
    }

    public func application(host: String, port: Int, logger: Logger) throws -> some ApplicationProtocol {
        Application(router: try router(), configuration: .init(address: .hostname(host, port: port), serverName: "Viewfinder"),
                    services: [sessions], logger: logger)
    }
}
