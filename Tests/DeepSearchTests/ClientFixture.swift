import DeepSearch
import DeepSearchSimulator
import Logging
import Synchronization
import TestSupport
import Testing

/// The transports a client can send through, each wire-level test running over every one: one
/// since `http://` goes through AsyncHTTPClient too (BENCHMARKS.md, "One HTTP stack").
enum TransportKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case asyncHTTPClient

    func make(maximumBodyBytes: Int = 8 << 20) -> any HTTPTransport {
        AsyncHTTPClientTransport(maximumBodyBytes: maximumBodyBytes)
    }

    var testDescription: String { rawValue }
}

/// A client over real loopback HTTP to a simulator, with a virtual clock and captured logs.
struct ClientFixture {
    let sim: SimulatorFixture
    let client: DeepSearchClient
    let clock: VirtualClock
    let logs: LogCapture
    let spy: SpyTransport

    static func with<T: Sendable>(
        transport kind: TransportKind = .asyncHTTPClient, token: String? = SimulatorFixture.token, retry: RetryPolicy = RetryPolicy(jitter: false),
        // Generous: on a busy two-core machine an answer can take seconds; tests of the timeout
        // set their own.
        timeout: Duration = .seconds(30),
        configure: (inout SimulatorConfiguration) -> Void = { _ in }, _ body: (ClientFixture) async throws -> T
    ) async throws -> T {
        try await SimulatorFixture.with(configure: configure) { sim in
            let clock = VirtualClock(linkedTo: sim.clock)
            let logs = LogCapture()
            var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(logs) })
            logger.logLevel = .trace
            let spy = SpyTransport(kind.make())
            let client = DeepSearchClient(
                configuration: .init(
                    baseURL: sim.url, token: token, tokenOrigin: "EXTRUCT_API_TOKEN", userAgent: "extruct-shell/test",
                    requestTimeout: timeout, retryPolicy: retry),
                transport: spy, clock: clock, logger: logger)
            do {
                let fixture = ClientFixture(sim: sim, client: client, clock: clock, logs: logs, spy: spy)
                let value = try await body(fixture)
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
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return try await inner.send(request, timeout: timeout, delivery: delivery)
    }

    func shutdown() async { await inner.shutdown() }

    /// Runs `body`, then shuts the transport down whether it threw or not: AsyncHTTPClient traps
    /// in a debug build when a client is dropped without being shut down.
    func shuttingDown<T>(after body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }

    func concurrencyLimit(for baseURL: String) -> Int { inner.concurrencyLimit(for: baseURL) }
}

/// Runs `body`, expecting a ``DeepSearchError``; returns it.
func expectError(_ body: () async throws -> Void) async -> DeepSearchError? {
    do {
        try await body()
        return nil
    } catch let error as DeepSearchError {
        return error
    } catch {
        Issue.record("expected a DeepSearchError, got \(type(of: error)): \(error)")
        return nil
    }
}
