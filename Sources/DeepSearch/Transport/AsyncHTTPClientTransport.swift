import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real transport: one AsyncHTTPClient with a keep-alive connection pool, for `https://`
/// (and for `http://` through a proxy).
///
/// TLS certificates are always verified, against the system's roots and the trusted certificate
/// files of the network configuration; redirects are not followed, so the `Authorization` header
/// can never be carried to another host. With a proxy, `https://` goes through it with CONNECT
/// (the proxy resolves the API's name) and its credentials are sent as `Proxy-Authorization`.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let configuration: HTTPClient.Configuration
    /// The client requests go through, and the clients replaced but not shut down yet.
    private let clients: Mutex<Clients>
    private let maximumBodyBytes: Int
    /// The proxy every request goes through, if any.
    let proxy: ProxyServer?

    /// The current client (replaced after an answer is abandoned part way, too large or
    /// cancelled: its connection might otherwise be handed the next request while the server is
    /// still sending the old body), and those replaced, each shut down once its last request ends.
    private struct Clients {
        var current: HTTPClient
        /// Requests in flight, by client.
        var inFlight: [ObjectIdentifier: Int] = [:]
        /// Replaced clients whose requests are still in flight.
        var retired: [HTTPClient] = []
    }

    /// A transport whose answers may be at most `maximumBodyBytes` long, trusting `network`'s
    /// certificate files and going through `proxy`.
    public init(maximumBodyBytes: Int = 8 << 20, network: NetworkConfiguration = .direct, proxy: ProxyServer? = nil) {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = network.tlsConfiguration()
        if let proxy {
            let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool.idleTimeout = .seconds(60)
        configuration.timeout.connect = .seconds(10)
        // Fail fast on a refused connection; the client's own retry policy decides about another try.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.configuration = configuration
        self.clients = Mutex(Clients(current: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)))
        self.maximumBodyBytes = maximumBodyBytes
        self.proxy = proxy
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    /// Sends `request`. `delivery` hears when AsyncHTTPClient asks for the body, which it does
    /// right after writing the head; a request without a body is taken to be sent from the start
    /// (nothing tells when its head goes out).
    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body, !body.isEmpty {
            outgoing.body = .stream(DeliveredBody(bytes: body, delivery: delivery), length: .known(Int64(body.count)))
        } else {
            if request.body != nil { outgoing.body = .bytes([]) }
            delivery.markWritten()
        }
        let timeAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let client = begin()
        defer { end(client) }
        do {
            let response = try await client.execute(outgoing, timeout: timeAmount)
            var headers: [HeaderField] = []
            for (name, value) in response.headers { headers.append(HeaderField(name, value)) }
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: maximumBodyBytes)
            } catch {
                retire(client)
                if error is NIOTooManyBytesError {
                    throw TransportFailure.tooLarge(request, limit: maximumBodyBytes, status: Int(response.status.code))
                }
                throw error
            }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        } catch let error as DeepSearchError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw await translate(error, request: request, timeout: timeout)
        }
    }

    /// Opens a connection to `baseURL` (through the proxy, if any) with an unauthenticated
    /// `GET /v1/healthcheck` and leaves it in the pool for the first real request. Never throws:
    /// a failure shows when a request needs the connection.
    public func prepare(baseURL: String) async {
        var request = HTTPClientRequest(url: baseURL + "/v1/healthcheck")
        request.headers.add(name: "User-Agent", value: "extruct-shell/\(ProductVersion.current)")
        let client = begin()
        defer { end(client) }
        guard let response = try? await client.execute(request, timeout: .seconds(15)) else { return }
        _ = try? await response.body.collect(upTo: 64 << 10)
    }

    public func concurrencyLimit(for baseURL: String) -> Int { DefaultTransport.concurrentRequests }

    /// The current client, with one more request in flight.
    private func begin() -> HTTPClient {
        clients.withLock { clients in
            clients.inFlight[ObjectIdentifier(clients.current), default: 0] += 1
            return clients.current
        }
    }

    /// A request on `client` ended; a replaced client is shut down after its last one.
    private func end(_ client: HTTPClient) {
        let idle = clients.withLock { clients -> Bool in
            let id = ObjectIdentifier(client)
            let left = (clients.inFlight[id] ?? 1) - 1
            clients.inFlight[id] = left > 0 ? left : nil
            guard left <= 0, let index = clients.retired.firstIndex(where: { $0 === client }) else { return false }
            clients.retired.remove(at: index)
            return true
        }
        // The task holds the client until it is shut down (a client dropped open traps in a debug build).
        if idle { Task { try? await client.shutdown() } }
    }

    /// Puts a new client in place of `client` (unless that happened already); `client` is shut
    /// down when its requests (this one among them) have ended.
    private func retire(_ client: HTTPClient) {
        clients.withLock { clients in
            guard clients.current === client else { return }
            clients.retired.append(client)
            clients.current = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
    }

    /// How many clients this transport holds open: the current one and those replaced whose
    /// requests have not ended yet.
    var openClientCount: Int { clients.withLock { 1 + $0.retired.count } }

    /// Waits at most a second: a connection attempt still in flight (a server that accepts TCP
    /// and never answers the TLS handshake) holds a graceful shutdown until its 10 s connect
    /// timeout, and whoever shuts the transport down is leaving.
    public func shutdown() async {
        let open = clients.withLock { [$0.current] + $0.retired }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = FirstCall()
            Task {
                for client in open { try? await client.shutdown() }
                if first.claim() { continuation.resume() }
            }
            Task {
                try? await Task.sleep(for: .seconds(1))
                if first.claim() { continuation.resume() }
            }
        }
    }
}

/// A request body that tells `delivery` when AsyncHTTPClient asks for it: the head is written by then.
private struct DeliveredBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let bytes: [UInt8]
    let delivery: RequestDelivery

    struct AsyncIterator: AsyncIteratorProtocol {
        var pending: [UInt8]?
        let delivery: RequestDelivery

        mutating func next() async -> ByteBuffer? {
            guard let bytes = pending else { return nil }
            pending = nil
            delivery.markWritten()
            return ByteBuffer(bytes: bytes)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pending: bytes, delivery: delivery) }
}

/// True for the first caller of ``claim()`` only.
private final class FirstCall: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
