import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the shell sends through, chosen per request by the URL and the network configuration:
///
/// - `http://` straight to the host (the simulator, `--demo`, anything on this machine) over
///   ``SocketTransport`` on the calling thread;
/// - everything else — `https://`, with TLS, and `http://` through a proxy — through an
///   ``AsyncHTTPClientTransport``, one per proxy, each made on first use (so is its event loop).
public final class DefaultTransport: HTTPTransport {
    private let plain: SocketTransport
    private let network: NetworkConfiguration
    private let maximumBodyBytes: Int
    /// The AsyncHTTPClient transports made so far, by the proxy they go through (nil: direct).
    private let clients = Mutex<[ProxyServer?: AsyncHTTPClientTransport]>([:])
    /// Whether every request goes through AsyncHTTPClient (the background transport).
    private let clientOnly: Bool
    /// Whether `http://` goes through AsyncHTTPClient too (`EXTRUCT_HTTP_TRANSPORT=asynchttpclient`).
    private let plainThroughClient = DefaultTransport.plainHTTPThroughClient
    private let background = Mutex<DefaultTransport?>(nil)
    /// The route of the last base URL asked about: a shell sends to one URL at a time, and the
    /// URL need not be parsed again for every request of a playback.
    private let lastRoute = Mutex<(baseURL: String, route: Route)?>(nil)
    /// Hears about a certificate file left out, at the first TLS request.
    private let warn: (@Sendable (String) -> Void)?
    /// How many requests of one command may be in flight at once over AsyncHTTPClient.
    public static let concurrentRequests = 4
    /// How many connections the first request to a URL opens over AsyncHTTPClient, its own
    /// included: enough for the pages of an export sent together (a task holds at most 250
    /// results: three pages of 100), each on a connection already there.
    public static let connectionsAhead = 3

    /// A transport whose answers may be at most `maximumBodyBytes` long, reaching the API as
    /// `network` says; `warn` hears one line about each certificate file left out (a stale
    /// `SSL_CERT_FILE`), at the first TLS request.
    public convenience init(maximumBodyBytes: Int = 8 << 20, network: NetworkConfiguration = .direct, warn: (@Sendable (String) -> Void)? = nil) {
        self.init(maximumBodyBytes: maximumBodyBytes, network: network, clientOnly: false, warn: warn)
    }

    private init(maximumBodyBytes: Int, network: NetworkConfiguration, clientOnly: Bool, warn: (@Sendable (String) -> Void)?) {
        self.plain = SocketTransport(maximumBodyBytes: maximumBodyBytes)
        self.network = network
        self.maximumBodyBytes = maximumBodyBytes
        self.clientOnly = clientOnly
        self.warn = warn
    }

    /// Everything through AsyncHTTPClient (its event loop, not the caller's thread), on clients
    /// of its own; made on first use, shut down with this transport.
    public func backgroundTransport() -> (any HTTPTransport)? {
        if clientOnly { return self }
        return background.withLock { background in
            if let made = background { return made }
            // Silent: it polls while the user types, and the commands have said it already.
            let made = DefaultTransport(maximumBodyBytes: maximumBodyBytes, network: network, clientOnly: true, warn: nil)
            background = made
            return made
        }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        switch route(request.baseURL) {
        case .socket: try await plain.send(request, timeout: timeout, delivery: delivery)
        case .client(let proxy): try await client(through: proxy).send(request, timeout: timeout, delivery: delivery)
        }
    }

    /// Concurrent requests only where they cost nothing: the socket transport works on the
    /// calling thread, one request at a time.
    public func concurrencyLimit(for baseURL: String) -> Int {
        switch route(baseURL) {
        case .socket: 1
        case .client: Self.concurrentRequests
        }
    }

    /// Opens the connections ahead where it saves round trips: over AsyncHTTPClient (TLS, and
    /// whatever the network is). A plain socket to this machine costs nothing to open.
    public func prepare(baseURL: String) async {
        guard case .client(let proxy) = route(baseURL) else { return }
        await client(through: proxy).prepare(baseURL: baseURL)
    }

    public func shutdown() async {
        if let made = background.withLock({ $0 }), made !== self { await made.shutdown() }
        await plain.shutdown()
        let made = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in made { await client.shutdown() }
    }

    /// `EXTRUCT_HTTP_TRANSPORT=asynchttpclient` sends `http://` through AsyncHTTPClient too:
    /// what `scripts/bench transport` measures against the socket transport.
    static var plainHTTPThroughClient: Bool {
        guard let value = getenv("EXTRUCT_HTTP_TRANSPORT") else { return false }
        return String(cString: value) == "asynchttpclient"
    }

    private enum Route: Sendable {
        case socket
        case client(ProxyServer?)
    }

    private func route(_ baseURL: String) -> Route {
        if let last = lastRoute.withLock({ $0 }), last.baseURL == baseURL { return last.route }
        let proxy = network.proxy(for: baseURL)
        let route: Route = proxy == nil && HTTPRequest.isPlainHTTP(baseURL) && !clientOnly && !plainThroughClient ? .socket : .client(proxy)
        lastRoute.withLock { $0 = (baseURL, route) }
        return route
    }

    private func client(through proxy: ProxyServer?) -> AsyncHTTPClientTransport {
        clients.withLock { clients in
            if let made = clients[proxy] { return made }
            // The background transport polls one task at a time: one connection is enough.
            let made = AsyncHTTPClientTransport(
                maximumBodyBytes: maximumBodyBytes, network: network, proxy: proxy, connectionsAhead: clientOnly ? 1 : Self.connectionsAhead,
                warn: warn)
            clients[proxy] = made
            return made
        }
    }
}
