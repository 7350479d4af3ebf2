import Synchronization

/// What the shell sends through: AsyncHTTPClient for every URL, `http://` and `https://`, one
/// ``AsyncHTTPClientTransport`` per proxy the network configuration chooses for a URL (nil:
/// direct), each made on first use.
public final class DefaultTransport: HTTPTransport {
    private let network: NetworkConfiguration
    private let maximumBodyBytes: Int
    /// The AsyncHTTPClient transports made so far, by the proxy they go through (nil: direct).
    private let clients = Mutex<[ProxyServer?: AsyncHTTPClientTransport]>([:])
    /// Whether this is the background transport (one connection a URL, no transport of its own).
    private let isBackground: Bool
    private let background = Mutex<DefaultTransport?>(nil)
    /// The proxy of the last base URL asked about: a shell sends to one URL at a time, and the
    /// URL need not be parsed again for every request of a playback.
    private let lastRoute = Mutex<(baseURL: String, proxy: ProxyServer?)?>(nil)
    /// Hears about a certificate file left out, at the first TLS request.
    private let warn: (@Sendable (String) -> Void)?
    /// How many requests of one command may be in flight at once.
    public static let concurrentRequests = 4
    /// How many connections the first request to a URL opens, its own included: enough for the pages of an export sent together (a task holds at most 250
    /// results: three pages of 100), each on a connection already there.
    public static let connectionsAhead = 3

    /// A transport whose answers may be at most `maximumBodyBytes` long, reaching the API as
    /// `network` says; `warn` hears one line about each certificate file left out (a stale
    /// `SSL_CERT_FILE`), at the first TLS request.
    public convenience init(maximumBodyBytes: Int = 8 << 20, network: NetworkConfiguration = .direct, warn: (@Sendable (String) -> Void)? = nil) {
        self.init(maximumBodyBytes: maximumBodyBytes, network: network, isBackground: false, warn: warn)
    }

    private init(maximumBodyBytes: Int, network: NetworkConfiguration, isBackground: Bool, warn: (@Sendable (String) -> Void)?) {
        self.network = network
        self.maximumBodyBytes = maximumBodyBytes
        self.isBackground = isBackground
        self.warn = warn
    }

    /// The same routes on clients of its own (so on connections no command uses); made on first
    /// use, shut down with this transport.
    public func backgroundTransport() -> (any HTTPTransport)? {
        if isBackground { return self }
        return background.withLock { background in
            if let made = background { return made }
            // Silent: it polls while the user types, and the commands have said it already.
            let made = DefaultTransport(maximumBodyBytes: maximumBodyBytes, network: network, isBackground: true, warn: nil)
            background = made
            return made
        }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        try await client(through: proxy(for: request.baseURL)).send(request, timeout: timeout, delivery: delivery)
    }

    /// The pages of an export go out together, whatever the scheme.
    public func concurrencyLimit(for baseURL: String) -> Int { Self.concurrentRequests }

    /// Opens the connections ahead (TCP, TLS, a proxy's tunnel), so each request costs one round trip.
    public func prepare(baseURL: String) async {
        await client(through: proxy(for: baseURL)).prepare(baseURL: baseURL)
    }

    public func shutdown() async {
        if let made = background.withLock({ $0 }), made !== self { await made.shutdown() }
        let made = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in made { await client.shutdown() }
    }

    private func proxy(for baseURL: String) -> ProxyServer? {
        if let last = lastRoute.withLock({ $0 }), last.baseURL == baseURL { return last.proxy }
        let proxy = network.proxy(for: baseURL)
        lastRoute.withLock { $0 = (baseURL, proxy) }
        return proxy
    }

    private func client(through proxy: ProxyServer?) -> AsyncHTTPClientTransport {
        clients.withLock { clients in
            if let made = clients[proxy] { return made }
            // The background transport polls one task at a time: one connection is enough.
            let made = AsyncHTTPClientTransport(
                maximumBodyBytes: maximumBodyBytes, network: network, proxy: proxy, connectionsAhead: isBackground ? 1 : Self.connectionsAhead,
                warn: warn)
            clients[proxy] = made
            return made
        }
    }
}
