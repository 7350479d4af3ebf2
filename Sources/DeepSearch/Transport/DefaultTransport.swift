/// What the shell sends through: `http://` base URLs (the simulator, `--demo`, a local proxy) over
/// ``SocketTransport`` on the calling thread, everything else — `https://`, with TLS — through
/// ``AsyncHTTPClientTransport``, which is made on first use (so does its event loop).
public final class DefaultTransport: HTTPTransport {
    private let plain: SocketTransport
    private let secure: LazyTransport

    /// A transport whose answers may be at most `maximumBodyBytes` long.
    public init(maximumBodyBytes: Int = 8 << 20) {
        plain = SocketTransport(maximumBodyBytes: maximumBodyBytes)
        secure = LazyTransport { AsyncHTTPClientTransport(maximumBodyBytes: maximumBodyBytes) }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        if HTTPRequest.isPlainHTTP(request.baseURL) {
            return try await plain.send(request, timeout: timeout)
        }
        return try await secure.send(request, timeout: timeout)
    }

    public func shutdown() async {
        await plain.shutdown()
        await secure.shutdown()
    }
}
