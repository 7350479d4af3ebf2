import AsyncHTTPClient
import DeepSearch
import DeepSearchSimulator
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SimulatorTLS

/// How a test reaches its simulator: plain HTTP or HTTPS with a throwaway CA (both through
/// AsyncHTTPClient, what every user of the real API gets). End-to-end tests take it as a
/// parameter, so both transports are proven to the same standard.
public enum Scheme: String, CaseIterable, Sendable {
    case http
    case https
}

/// A simulator serving on a free loopback port, on a manual clock, for one test.
public struct SimulatorFixture: Sendable {
    public let running: RunningSimulator
    public let clock: ManualClock
    /// With HTTPS, the CA certificate that makes the simulator trusted (a PEM file).
    public let caFile: String?
    public static let token = "test-token-5f1c9a77e2"
    /// The names an HTTPS simulator's certificate is for.
    public static let certificateNames = ["localhost", "127.0.0.1", "api.extruct.test"]

    /// Starts a simulator; `configure` may change the configuration first.
    public static func start(
        seed: UInt64 = 7, speed: Double = 1, scheme: Scheme = .http, configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) async throws -> SimulatorFixture {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(port: 0, tokens: [token], seed: seed, speed: speed, clock: clock)
        var caFile: String?
        if scheme == .https {
            let authority = try ThrowawayCertificateAuthority(names: certificateNames)
            configuration.tls = SimulatorTLSIdentity(
                certificateChainPEM: authority.serverCertificateChainPEM, privateKeyPEM: authority.serverPrivateKeyPEM)
            let path = NSTemporaryDirectory() + "extruct-test-ca-\(UUID().uuidString.prefix(8)).pem"
            try writeFile(path, authority.caCertificatePEM + "\n")
            caFile = path
        }
        configure(&configuration)
        let running = try await Simulator(configuration: configuration).start()
        return SimulatorFixture(running: running, clock: configuration.clock as? ManualClock ?? clock, caFile: caFile)
    }

    public var url: String { running.url }
    public var simulator: Simulator { running.simulator }

    /// The environment that points the shell at this simulator: its URL, the test token, and
    /// with HTTPS the CA that makes it trusted.
    public var shellEnvironment: [String: String] {
        var environment = ["EXTRUCT_API_URL": url, "EXTRUCT_API_TOKEN": SimulatorFixture.token]
        if let caFile { environment["EXTRUCT_CA_FILE"] = caFile }
        return environment
    }

    /// The same environment with the simulator named `host` (one only a proxy resolves, say
    /// `api.extruct.test`, which its certificate is for) and reached on `port` (its own by default).
    public func shellEnvironment(host: String, port: Int? = nil) -> [String: String] {
        var environment = shellEnvironment
        environment["EXTRUCT_API_URL"] = "\(running.isSecure ? "https" : "http")://\(host):\(port ?? running.port)"
        return environment
    }

    /// A task made and run to its end (simulated time moves 10 h), with at least `pool`
    /// candidates; the journal is cleared afterwards, so a test counts only its own requests.
    public func doneTask(results: Int = 250, pool: Int = 1100) async throws -> DiscoveryTask {
        let made = try DiscoveryTask(
            json: try await RawHTTP(self).post(
                "/v1/discovery_tasks", #"{"query": "\#(query(atLeast: pool))", "desired_num_results": \#(results)}"#
            ).json())
        advance(10 * 3600)
        let done = try DiscoveryTask(json: try await RawHTTP(self).get("/v1/discovery_tasks/\(made.id)").json())
        simulator.journal.clear()
        return done
    }

    /// Stops the simulator and removes its CA file.
    public func stop() async {
        await running.stop()
        if let caFile { try? FileManager.default.removeItem(atPath: caFile) }
    }

    /// Runs `body` with a fresh simulator and stops it afterwards.
    public static func with<T: Sendable>(
        seed: UInt64 = 7, speed: Double = 1, scheme: Scheme = .http, configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (SimulatorFixture) async throws -> T
    ) async throws -> T {
        let fixture = try await start(seed: seed, speed: speed, scheme: scheme, configure: configure)
        do {
            let value = try await body(fixture)
            await fixture.stop()
            return value
        } catch {
            await fixture.stop()
            throw error
        }
    }

    /// Moves simulated time forward.
    public func advance(_ seconds: Double) {
        clock.advance(by: seconds)
    }

    /// How many API requests with `method` and a path containing `path` the simulator received.
    public func count(_ method: String, _ path: String = "") -> Int {
        simulator.journal.entries.filter { $0.method == method && (path.isEmpty || $0.path.contains(path)) }.count
    }

    /// Waits until every fault rule with a count has been used up: the requests they were set
    /// for have arrived (a slow one is still being answered).
    public func waitUntilFaultsAreUsed(timeout: Double = 20) async throws {
        try await waitUntil("a request used up \(simulator.faults.rules.map(\.spec).joined(separator: ", "))", timeout: timeout) {
            simulator.faults.rules.isEmpty
        }
    }

    /// A query whose candidate pool is at most `maximum` (runs dry early) or at least `minimum`.
    public func query(poolAtMost maximum: Int = .max, atLeast minimum: Int = 0, prefix: String = "test query") -> String {
        for i in 0..<100_000 {
            let q = "\(prefix) \(i)"
            let size = simulator.poolSize(for: q)
            if size <= maximum && size >= minimum { return q }
        }
        fatalError("no query with a pool in \(minimum)…\(maximum)")
    }
}

/// Raw HTTP against a server, without the project's client: what a test sends is exactly what goes out.
public struct RawHTTP: Sendable {
    public let baseURL: String
    public var token: String?
    /// A CA to trust besides the system's (an HTTPS simulator's).
    public var caFile: String?

    public init(_ baseURL: String, token: String? = SimulatorFixture.token, caFile: String? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.caFile = caFile
    }

    /// Raw HTTP to `sim`, trusting its CA when it serves HTTPS.
    public init(_ sim: SimulatorFixture, token: String? = SimulatorFixture.token) {
        self.init(sim.url, token: token, caFile: sim.caFile)
    }

    /// One answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as JSON; fails the test's expectation if it is not.
        public func json() throws -> JSONValue { try JSONParser.parse(body) }
    }

    public func send(_ method: String, _ target: String, body: String? = nil, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        var client = HTTPClient.shared
        if let caFile {
            var configuration = HTTPClient.Configuration()
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(caFile)]
            configuration.tlsConfiguration = tls
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        defer { if caFile != nil { client.shutdown { _ in } } }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        return Answer(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
    }

    public func get(_ target: String) async throws -> Answer { try await send("GET", target) }
    public func post(_ target: String, _ body: String? = nil) async throws -> Answer { try await send("POST", target, body: body) }
}
