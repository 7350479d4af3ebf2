import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real transport: one AsyncHTTPClient with a keep-alive connection pool, for `https://`
/// and `http://` alike (``DefaultTransport`` makes one per proxy).
///
/// TLS certificates are always verified, against the system's roots and the trusted certificate
/// files of the network configuration; redirects are not followed, so the `Authorization` header
/// can never be carried to another host. With a proxy, `https://` goes through it with CONNECT
/// (the proxy resolves the API's name) and its credentials are sent as `Proxy-Authorization`.
///
/// It speaks HTTP/1.1, and the first request to a URL opens the connections for the requests
/// that may follow at once (an export's pages) while it runs, so they cost no handshake later.
/// Over HTTP/2, AsyncHTTPClient waits for the server's SETTINGS before the first request (a
/// round trip) and announces no initial flow-control window (64 KB), so a 150 KB page waits for
/// window updates, a round trip each; it has no setting for either. BENCHMARKS.md has the figures.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let configuration: HTTPClient.Configuration
    /// The client requests go through, and the clients replaced but not shut down yet.
    private let clients: Mutex<Clients>
    private let maximumBodyBytes: Int
    /// The proxy every request goes through, if any.
    let proxy: ProxyServer?
    /// How many connections the first request to a URL opens, its own included.
    private let connectionsAhead: Int
    /// The base URLs whose connections the current client has opened ahead.
    private let opened = Mutex<Set<String>>([])
    /// The last base URL found usable.
    private let usableURL = Mutex<String?>(nil)
    /// The certificate files, looked at when the transport was made.
    private let trust: CertificateTrust
    /// Hears one line about each certificate file left out, at the first TLS request.
    private let warn: (@Sendable (String) -> Void)?
    private let warned = Atomic(false)
    /// The one event loop of this transport's clients, as a task executor: every exchange runs
    /// on it, so the answer's head and body reach the request on the thread that read them.
    private let executor: EventLoopTaskExecutor

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
    /// certificate files and going through `proxy`; the first request to a URL opens
    /// `connectionsAhead` connections (1: only its own). `warn` hears about a certificate file
    /// left out (a stale `SSL_CERT_FILE`), once, at the first TLS request.
    public init(
        maximumBodyBytes: Int = 8 << 20, network: NetworkConfiguration = .direct, proxy: ProxyServer? = nil, connectionsAhead: Int = 1,
        warn: (@Sendable (String) -> Void)? = nil
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        let trust = network.certificateTrust()
        configuration.tlsConfiguration = NetworkConfiguration.tlsConfiguration(trusting: trust.certificates)
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
        let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
        self.executor = executor
        self.clients = Mutex(Clients(current: HTTPClient(eventLoopGroup: executor.loop, configuration: configuration)))
        self.maximumBodyBytes = maximumBodyBytes
        self.proxy = proxy
        self.connectionsAhead = max(1, connectionsAhead)
        self.trust = trust
        self.warn = warn
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    /// Sends `request`. `delivery` hears when AsyncHTTPClient asks for the body, which it does
    /// right after writing the head; a request without a body is taken to be sent from the start
    /// (nothing tells when its head goes out).
    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        // One hop to the loop and one back, whatever the caller's actor: the exchange's own
        // awaits (the head, each part of the body, the deadline) resume on the loop's thread, and
        // the caller goes on where it was (PlainHTTPTests checks it for a caller with no actor).
        try await withTaskExecutorPreference(executor) {
            try await exchange(request, timeout: timeout, delivery: delivery)
        }
    }

    @concurrent private func exchange(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        // Certificate files that cannot be used fail the request before anything is sent.
        guard isUsable(request.baseURL) else { throw TransportFailure.invalidURL(request) }
        if !HTTPRequest.isPlainHTTP(request.baseURL) { try checkTrust(request) }
        try Self.checkLines(of: request)
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body, !body.isEmpty {
            outgoing.body = .stream(DeliveredBody(bytes: body, delivery: delivery), length: .known(Int64(body.count)))
        } else {
            if request.body != nil { outgoing.body = .bytes([]) }
            delivery.markWritten()
        }
        // One deadline for the whole exchange: AsyncHTTPClient's covers the answer's head only.
        let deadline =
            NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let client = begin()
        defer { end(client) }
        await openAhead(connectionsAhead, to: request.baseURL, on: client)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            var headers: [HeaderField] = []
            for (name, value) in response.headers { headers.append(HeaderField(name, value)) }
            let buffer: ByteBuffer
            do {
                guard let body = try await Self.collect(response.body, upTo: maximumBodyBytes, by: deadline) else {
                    retire(client)
                    throw TransportFailure.timeout(request, timeout)
                }
                buffer = body
            } catch let error as DeepSearchError {
                throw error
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
            // A request given up on (cancelled, or out of time) leaves its connection closing,
            // which can take a while (TLS waits for the server's goodbye): the next requests,
            // and shutting down, do not wait for it.
            if Task.isCancelled {
                retire(client)
                throw CancellationError()
            }
            if let failure = error as? HTTPClientError, failure == .deadlineExceeded { retire(client) }
            throw await translate(error, request: request, timeout: timeout)
        }
    }

    /// Says what was wrong with the certificate files, at the first TLS request: a warning for
    /// each left out; and fails every TLS request when one that must be used cannot be.
    private func checkTrust(_ request: HTTPRequest) throws(DeepSearchError) {
        if let warn, !trust.warnings.isEmpty, !warned.exchange(true, ordering: .relaxed) {
            for warning in trust.warnings { warn(warning) }
        }
        if let problem = trust.problem {
            throw DeepSearchError(
                .tls, "cannot reach \(request.baseURL): \(problem.text)",
                advice: "point \(problem.origin) at a PEM bundle of CA certificates, or remove it")
        }
    }

    /// Whether `baseURL` is one this transport can send to: `http://` or `https://`, a host, a
    /// port from 1 to 65535 (AsyncHTTPClient traps on a larger one), no user name in it. The last
    /// one found usable is remembered: a shell sends to one URL at a time.
    private func isUsable(_ baseURL: String) -> Bool {
        if usableURL.withLock({ $0 == baseURL }) { return true }
        guard let url = URLParts(baseURL), url.scheme == "http" || url.scheme == "https", !url.host.isEmpty, url.user == nil else { return false }
        usableURL.withLock { $0 = baseURL }
        return true
    }

    /// Refuses, before anything is sent, a method, target or header that would end a line or the
    /// head early (CR, LF or NUL; a space in the method or target, a colon or space in a name):
    /// a value from a script must never add a header or a request of its own.
    static func checkLines(of request: HTTPRequest) throws(DeepSearchError) {
        guard isSafe(request.method, orSpace: true), isSafe(request.target, orSpace: true) else {
            throw DeepSearchError(
                .invalidArgument, "the request line of \(request.method.withoutControlCharacters) holds a space or control character; it was not sent"
            )
        }
        for field in request.headers where !isSafe(field.name, orSpace: true, orColon: true) || !isSafe(field.value) {
            throw DeepSearchError(
                .invalidArgument, "the header \(field.name.withoutControlCharacters) holds a line break or control character; it was not sent")
        }
    }

    private static func isSafe(_ text: String, orSpace: Bool = false, orColon: Bool = false) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 || (orSpace && $0 == 0x20) || (orColon && $0 == 0x3A) }
    }

    /// The whole of `body`, or nil when `deadline` passes first (reading it is then cancelled).
    private static func collect(_ body: HTTPClientResponse.Body, upTo limit: Int, by deadline: NIODeadline) async throws -> ByteBuffer? {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(max(0, (deadline - .now()).nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Opens the connections to `baseURL` (through the proxy, if any) that the first requests
    /// will use, and leaves them in the pool. Sends no request; never throws: a failure shows
    /// when a request needs a connection.
    public func prepare(baseURL: String) async {
        let client = begin()
        defer { end(client) }
        await openAhead(connectionsAhead, to: baseURL, on: client)
    }

    /// Has `client` open `count` connections to `baseURL`, the first time it is asked about that
    /// URL, without sending anything on them. The pool starts a connection for each request
    /// that waits for one, and keeps it (idle, for the next requests) when the request is
    /// withdrawn before it could be sent. So `count` requests are queued and withdrawn in one
    /// turn of one event loop — the loop their connections are made on, which can make no
    /// progress on them meanwhile — and the withdrawal is awaited before the caller's own
    /// request is queued (which then waits for the first of those connections).
    private func openAhead(_ count: Int, to baseURL: String, on client: HTTPClient) async {
        // One is the request's own: nothing to open ahead.
        guard count > 1, isUsable(baseURL), opened.withLock({ $0.insert(baseURL).inserted }),
            let request = try? HTTPClient.Request(url: baseURL + "/v1/healthcheck")
        else { return }
        let loop = client.eventLoopGroup.any()
        let withdrawn = try? await loop.submit {
            let waiting = (0..<count).map { _ in
                client.execute(request: request, delegate: IgnoredAnswer(), eventLoop: .delegate(on: loop), logger: nil)
            }
            for request in waiting { request.cancel() }
            return waiting.map(\.futureResult)
        }.get()
        for request in withdrawn ?? [] { _ = try? await request.get() }
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
        // The client holds itself until it is shut down (a client dropped open traps in a debug build).
        if idle { Self.shutDownLater(client) }
    }

    /// Puts a new client in place of `client` (unless that happened already); `client` is shut
    /// down when its requests (this one among them) have ended.
    private func retire(_ client: HTTPClient) {
        clients.withLock { clients in
            guard clients.current === client else { return }
            clients.retired.append(client)
            clients.current = HTTPClient(eventLoopGroup: executor.loop, configuration: configuration)
            opened.withLock { $0.removeAll() }
        }
    }

    /// How many clients this transport holds open: the current one and those replaced whose
    /// requests have not ended yet.
    var openClientCount: Int { clients.withLock { 1 + $0.retired.count } }

    /// Waits at most a second for the current client: a connection attempt still in flight (a
    /// server that accepts TCP and never answers the TLS handshake) holds a graceful shutdown
    /// until its 10 s connect timeout, and whoever shuts the transport down is leaving. The
    /// clients replaced after a request was given up on are shut down without waiting: the
    /// connection they were replaced for is closing, and would hold an exit for as long.
    ///
    /// Neither the shutdown nor the second it is given waits for a thread of the concurrency
    /// pool: the end of the one is heard on a queue of its own, the other is timed on the
    /// transport's event loop, so a pool busy with other work cannot stretch the second.
    public func shutdown() async {
        let (current, retired) = clients.withLock { ($0.current, $0.retired) }
        for client in retired { Self.shutDownLater(client) }
        let first = FirstCall()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            current.shutdown(queue: Self.shutdowns) { _ in if first.claim() { continuation.resume() } }
            _ = executor.loop.scheduleTask(in: .seconds(1)) { if first.claim() { continuation.resume() } }
        }
    }

    /// Where the end of a client's shutdown is heard: not the concurrency pool.
    private static let shutdowns = DispatchQueue(label: "extruct.transport.shutdown")

    /// Starts shutting `client` down, and does not wait for it: the client holds itself until its
    /// connections are closed.
    private static func shutDownLater(_ client: HTTPClient) {
        client.shutdown(queue: shutdowns) { _ in }
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

/// A response delegate that keeps nothing: the requests that open connections are withdrawn
/// before they are sent.
private final class IgnoredAnswer: HTTPClientResponseDelegate, Sendable {
    typealias Response = Void
    func didFinishRequest(task: HTTPClient.Task<Void>) throws {}
}

/// True for the first caller of ``claim()`` only.
private final class FirstCall: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
