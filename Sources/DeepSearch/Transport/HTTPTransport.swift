import Synchronization

/// One HTTP request as the client sends it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// The base URL without a trailing slash, e.g. `https://api.extruct.ai`.
    public var baseURL: String
    /// The path, e.g. `/v1/discovery_tasks/3f2a…/results`.
    public var path: String
    /// Query items, in order.
    public var query: [QueryItem]
    /// Header fields, in order; the token is only ever in `Authorization`.
    public var headers: [HeaderField]
    public var body: [UInt8]?

    /// A request with these parts.
    public init(method: String, baseURL: String, path: String, query: [QueryItem] = [], headers: [HeaderField] = [], body: [UInt8]? = nil) {
        self.method = method
        self.baseURL = baseURL
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The query items percent-encoded, `name=value&…`; empty without any.
    public var queryText: String {
        query.map { "\(URLEncoding.encode($0.name))=\(URLEncoding.encode($0.value))" }.joined(separator: "&")
    }

    /// `path?query`, percent-encoded.
    public var target: String {
        query.isEmpty ? path : path + "?" + queryText
    }

    /// The full URL.
    public var url: String { baseURL + target }

    /// The value of header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension HTTPRequest {
    /// Whether `baseURL` is plain `http://` (in any case): no TLS. Byte by byte, as it is asked
    /// on every request.
    public static func isPlainHTTP(_ baseURL: String) -> Bool {
        let scheme = "http://".utf8
        let head = baseURL.utf8.prefix(scheme.count)
        return head.count == scheme.count
            && zip(head, scheme).allSatisfy { byte, expected in (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == expected }
    }
}

/// A query item.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String
    /// An item `name=value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A header field.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String
    /// A field `name: value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One HTTP answer.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HeaderField]
    public var body: [UInt8]

    /// An answer with these parts.
    public init(status: Int, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Sends requests. The real one is ``AsyncHTTPClientTransport``; cassettes and dry runs are others.
///
/// Implementations throw ``DeepSearchError`` (codes `.transport`, `.timeout`, `.responseTooLarge`,
/// `.replayMismatch`, `.notSent`) or `CancellationError` when the calling task is cancelled.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole answer, or throws.
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
    /// The same, telling `delivery` as soon as any of the request was written to a connection,
    /// so a failure can be told apart: nothing sent (safe to try again) or sent with no answer.
    func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse
    /// Releases connections; the transport is not used afterwards.
    func shutdown() async
    /// How many requests to `baseURL` a command may have in flight at once (1: one at a time).
    func concurrencyLimit(for baseURL: String) -> Int
    /// Opens the connections to `baseURL` ahead of the first requests (TCP and TLS), so each of
    /// them costs one round trip. Silent: a failure here shows when a request needs a connection.
    func prepare(baseURL: String) async
    /// A transport for requests the shell makes on its own while the user types (notices of
    /// tasks ending): it never holds the calling thread and never shares a connection a command
    /// uses, so cancelling one of its requests costs a command nothing. Nil: no such requests
    /// (a cassette, a dry run, a test's fake).
    func backgroundTransport() -> (any HTTPTransport)?
}

extension HTTPTransport {
    /// A transport that cannot tell when a request leaves is taken to have sent it: a failure
    /// is then never called safe to try again.
    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        delivery.markWritten()
        return try await send(request, timeout: timeout)
    }

    /// No requests in the background, unless a transport says otherwise.
    public func backgroundTransport() -> (any HTTPTransport)? { nil }

    /// One at a time, unless a transport says otherwise.
    public func concurrencyLimit(for baseURL: String) -> Int { 1 }

    /// Nothing to prepare, unless a transport says otherwise.
    public func prepare(baseURL: String) async {}
}

/// Whether any of one request was written to a connection: what a transport knows and the client
/// needs to word a failure of a request that spends credits truthfully. Until a byte is written,
/// the server cannot have acted on the request.
public final class RequestDelivery: Sendable {
    private let written = Atomic<Bool>(false)

    public init() {}

    /// Some of the request was handed to the connection: the server may have it.
    public func markWritten() { written.store(true, ordering: .releasing) }

    /// Whether ``markWritten()`` was called.
    public var wasWritten: Bool { written.load(ordering: .acquiring) }
}
