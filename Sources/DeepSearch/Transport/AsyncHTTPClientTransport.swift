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
    /// The client requests go through. Replaced after an answer is abandoned part way (too large,
    /// or cancelled): its connection might otherwise be handed the next request while the server
    /// is still sending the old body.
    private let current: Mutex<HTTPClient>
    /// Clients replaced so far, shut down with the transport (requests may still be in flight on them).
    private let retired = Mutex<[HTTPClient]>([])
    private let maximumBodyBytes: Int
    /// The proxy every request goes through, if any.
    let proxy: ProxyServer?

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
        self.current = Mutex(HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
        self.maximumBodyBytes = maximumBodyBytes
        self.proxy = proxy
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        let timeAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let client = current.withLock { $0 }
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
        guard let response = try? await current.withLock({ $0 }).execute(request, timeout: .seconds(15)) else { return }
        _ = try? await response.body.collect(upTo: 64 << 10)
    }

    public func concurrencyLimit(for baseURL: String) -> Int { DefaultTransport.concurrentRequests }

    /// Puts a new client in place of `client` (unless that happened already).
    private func retire(_ client: HTTPClient) {
        current.withLock { current in
            guard current === client else { return }
            retired.withLock { $0.append(client) }
            current = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
    }

    /// Waits at most a second: a connection attempt still in flight (a server that accepts TCP
    /// and never answers the TLS handshake) holds a graceful shutdown until its 10 s connect
    /// timeout, and whoever shuts the transport down is leaving.
    public func shutdown() async {
        let clients = [current.withLock { $0 }] + retired.withLock { $0 }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = FirstCall()
            Task {
                for client in clients { try? await client.shutdown() }
                if first.claim() { continuation.resume() }
            }
            Task {
                try? await Task.sleep(for: .seconds(1))
                if first.claim() { continuation.resume() }
            }
        }
    }
}

/// True for the first caller of ``claim()`` only.
private final class FirstCall: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
