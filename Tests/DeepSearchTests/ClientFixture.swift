import DeepSearch
import DeepSearchSimulator
import Logging
import Synchronization
import TestSupport

/// A client over real loopback HTTP to a simulator, with a virtual clock and captured logs.
struct ClientFixture {
    let sim: SimulatorFixture
    let client: DeepSearchClient
    let clock: VirtualClock
    let logs: LogCapture
    let spy: SpyTransport

    static func with<T: Sendable>(
        token: String? = SimulatorFixture.token, retry: RetryPolicy = RetryPolicy(jitter: false), timeout: Duration = .seconds(10),
        configure: (inout SimulatorConfiguration) -> Void = { _ in }, _ body: (ClientFixture) async throws -> T
    ) async throws -> T {
        try await SimulatorFixture.with(configure: configure) { sim in
            let clock = VirtualClock(linkedTo: sim.clock)
            let logs = LogCapture()
            var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(logs) })
            logger.logLevel = .trace
            let spy = SpyTransport(AsyncHTTPClientTransport())
            let client = DeepSearchClient(
                configuration: .init(baseURL: sim.url, token: token, tokenOrigin: "EXTRUCT_API_TOKEN", userAgent: "extruct-shell/test",
                                     requestTimeout: timeout, retryPolicy: retry),
                transport: spy, clock: clock, logger: logger)
            do {
                let value = try await body(ClientFixture(sim: sim, client: client, clock: clock, logs: logs, spy: spy))
                await spy.shutdown()
                return value
            } catch {
                await spy.shutdown()
                throw error
            }
        }
    }
}

/// Passes requests to a real transport and keeps what was sent.
final class SpyTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let sent = Mutex<[HTTPRequest]>([])

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return try await inner.send(request, timeout: timeout)
    }

    func shutdown() async { await inner.shutdown() }
}

/// Runs `body`, expecting a ``DeepSearchError``; returns it.
func expectError(_ body: () async throws -> Void) async -> DeepSearchError? {
    do {
        try await body()
        return nil
    } catch let error as DeepSearchError {
        return error
    } catch {
        return nil
    }
}
