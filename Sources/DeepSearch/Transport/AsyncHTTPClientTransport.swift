import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real transport: one AsyncHTTPClient with a keep-alive connection pool for the process.
///
/// TLS certificates are verified (AsyncHTTPClient's default); redirects are not followed, so the
/// `Authorization` header can never be carried to another host.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let maximumBodyBytes: Int

    /// A transport whose answers may be at most `maximumBodyBytes` long.
    public init(maximumBodyBytes: Int = 8 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool.idleTimeout = .seconds(60)
        configuration.timeout.connect = .seconds(10)
        // Fail fast on a refused connection; the client's own retry policy decides about another try.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        let timeAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(outgoing, timeout: timeAmount)
            var headers: [HeaderField] = []
            for (name, value) in response.headers { headers.append(HeaderField(name, value)) }
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: maximumBodyBytes)
            } catch is NIOTooManyBytesError {
                throw TransportFailure.tooLarge(request, limit: maximumBodyBytes, status: Int(response.status.code))
            }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        } catch let error as DeepSearchError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.translate(error, request: request, timeout: timeout)
        }
    }

    /// Waits at most a second: a connection attempt still in flight (a server that accepts TCP
    /// and never answers the TLS handshake) holds a graceful shutdown until its 10 s connect
    /// timeout, and whoever shuts the transport down is leaving.
    public func shutdown() async {
        let client = self.client
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = FirstCall()
            Task {
                try? await client.shutdown()
                if first.claim() { continuation.resume() }
            }
            Task {
                try? await Task.sleep(for: .seconds(1))
                if first.claim() { continuation.resume() }
            }
        }
    }

    /// Turns AsyncHTTPClient and NIO errors into the user's words, naming the URL.
    static func translate(_ error: any Error, request: HTTPRequest, timeout: Duration) -> DeepSearchError {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return TransportFailure.timeout(request, timeout)
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return TransportFailure.connectTimedOut(request)
            case .remoteConnectionClosed:
                return TransportFailure.closedEarly(request)
            case .cancelled:
                return DeepSearchError(.transport, "\(TransportFailure.place(request)) was cancelled")
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportFailure.invalidURL(request)
            default:
                if String(describing: error).contains("unsupportedScheme") { return TransportFailure.invalidURL(request) }
                return TransportFailure.other(request, String(describing: error))
            }
        }
        if let errno = Self.errnoCode(in: error) {
            switch errno {
            case ECONNREFUSED: return TransportFailure.refused(request)
            case ECONNRESET, EPIPE: return TransportFailure.reset(request)
            case ETIMEDOUT: return TransportFailure.timeout(request, timeout)
            default: return TransportFailure.other(request, String(cString: strerror(errno)))
            }
        }
        if error is ChannelError, case .connectTimeout = error as! ChannelError {
            return TransportFailure.connectTimedOut(request)
        }
        let text = String(describing: error).withoutControlCharacters
        if text.contains("NXDOMAIN") || text.contains("dnsAError") || text.contains("dnsAAAAError") {
            return TransportFailure.unresolvable(request)
        }
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") {
            return DeepSearchError(.transport, "cannot reach \(request.baseURL): the TLS handshake failed (\(text.prefix(160)))")
        }
        return TransportFailure.other(request, String(text.prefix(200)))
    }

    private static func errnoCode(in error: any Error) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let code = errnoCode(in: attempt.error) { return code }
            }
        }
        return nil
    }
}

/// True for the first caller of ``claim()`` only.
private final class FirstCall: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
