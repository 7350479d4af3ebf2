import DeepSearchCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// A Deep Search simulator: its tasks, faults and request journal. Serve it with
/// ``buildApplication(_:logger:onServerRunning:)`` or ``start(logger:)``.
public struct Simulator: Sendable {
    public let configuration: SimulatorConfiguration
    /// The active faults; tests add and clear them directly or through `/_sim/faults`.
    public let faults: FaultInjector
    /// The API requests received.
    public let journal: RequestJournal
    let store: TaskStore

    /// A simulator with no tasks yet.
    public init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.faults = FaultInjector(rules: configuration.faults)
        self.journal = RequestJournal()
        self.store = TaskStore(configuration: configuration)
    }

    /// The current state of task `id`, read without a request.
    public func task(id: String) async -> DiscoveryTask? {
        await store.task(id: id)
    }

    /// The ids of every task, sample tasks included.
    public func taskIDs() async -> [String] {
        await store.ids
    }

    /// The account's credits: left to spend, and spent on the results tasks delivered so far.
    public func credits() async -> (available: Int, spent: Int) {
        await store.balance()
    }

    /// Sets the credits left to spend.
    public func setCredits(_ available: Int) async {
        await store.setCredits(available)
    }

    /// Creates a task directly, as if created `secondsAgo` seconds ago (in simulated time).
    @discardableResult
    public func seed(_ request: CreateTaskRequest, secondsAgo: Double) async -> DiscoveryTask {
        await store.seed(request, createdAt: configuration.clock.now() - secondsAgo)
    }

    /// How many candidates `query` can ever find under this simulator's seed.
    public func poolSize(for query: String) -> Int {
        CandidatePool.size(for: query, seed: configuration.seed)
    }

    /// Seeds the tasks `--demo` starts with: one done, one exhausted, one running; returns them
    /// newest first.
    @discardableResult
    public func seedDemoTasks() async -> [DiscoveryTask] {
        let base = [
            "vertical SaaS companies serving freight forwarding", "sustainable clothing manufacturers in Guangzhou",
            "innovation consulting agencies", "ai startups building llm search", "cold chain logistics startups",
            "b2b payments platforms for construction", "robotics companies automating warehouses",
            "climate tech startups measuring soil carbon", "cybersecurity firms for hospitals", "dental clinic software vendors",
        ]
        let regions = ["", " in Europe", " in North America", " in Asia", " in the Nordics", " in Latin America"]
        let queries = regions.flatMap { region in base.map { $0 + region } }
        let large = queries.filter { poolSize(for: $0) >= 700 }
        let small = queries.first { poolSize(for: $0) <= 90 } ?? queries[0]
        let doneQuery = large.first ?? queries[1]
        let runningQuery = large.dropFirst().first ?? queries[2]
        let speed = configuration.speed
        var seeded: [DiscoveryTask] = []
        seeded.append(await seed(CreateTaskRequest(query: doneQuery, desiredNumResults: 25), secondsAgo: 3 * 3600))
        seeded.append(await seed(CreateTaskRequest(query: small, desiredNumResults: 100), secondsAgo: 2 * 3600))
        seeded.append(await seed(CreateTaskRequest(query: runningQuery, desiredNumResults: 120), secondsAgo: 20 / speed))
        return seeded.reversed()
    }

    /// Serves this simulator on `configuration.host` and `configuration.port` (0 picks a port)
    /// until the returned handle is stopped.
    public func start(logger: Logger = Simulator.quietLogger) async throws -> RunningSimulator {
        let (ports, continuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = try buildApplication(self, logger: logger) { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        for try await port in ports {
            return RunningSimulator(
                simulator: self, host: configuration.host, port: port, isSecure: configuration.tls != nil, group: group, task: task)
        }
        throw CancellationError()
    }

    /// `http://HOST:PORT` or `https://HOST:PORT`, an IPv6 host in brackets.
    public static func url(host: String, port: Int, isSecure: Bool) -> String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(isSecure ? "https" : "http")://\(h):\(port)"
    }

    /// A logger that prints nothing.
    public static let quietLogger = Logger(label: "extruct-sim", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Writes `text` to standard error, whole (the request log, the start-up lines).
    public static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// The HTTP server of `simulator`: the API, the control endpoints under `/_sim/`, and connection
/// resets; HTTPS when the configuration has a TLS identity. `onServerRunning` hears the port it
/// listens on. Throws when the TLS identity cannot be used.
public func buildApplication(
    _ simulator: Simulator, logger: Logger = Simulator.quietLogger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let responder = SimulatorResponder(
        store: simulator.store, injector: simulator.faults, journal: simulator.journal, configuration: simulator.configuration)
    let injector = simulator.faults
    let journal = simulator.journal
    // A fault handler per request stream; connections are counted as they are accepted.
    let streams = HTTP1Channel.Configuration(additionalChannelHandlers: [FaultChannelHandler(injector: injector, journal: journal)])
    let secure = try simulator.configuration.tls?.channelBuilder()
    let server = HTTPServerBuilder { responder in
        if let secure {
            return countingConnections(try secure(streams, responder), journal: journal)
        }
        return ConnectionCountingChannel(base: HTTP1Channel(responder: responder, configuration: streams), journal: journal)
    }
    return Application(
        responder: responder,
        server: server,
        configuration: ApplicationConfiguration(
            address: .hostname(simulator.configuration.host, port: simulator.configuration.port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// `channel`, counting the connections it sets up (opens the existential to wrap it).
private func countingConnections<Base: ServerChildChannel>(_ channel: Base, journal: RequestJournal) -> any ServerChildChannel {
    ConnectionCountingChannel(base: channel, journal: journal)
}

/// What makes the channel of each connection a simulator accepts, from the configuration of its
/// request streams (the fault handler) and the responder.
public typealias SimulatorChannelBuilder =
    @Sendable (HTTP1Channel.Configuration, @escaping HTTPChannelHandler.Responder) throws -> any ServerChildChannel

/// HTTPS for a simulator. `SimulatorTLS` has the one kind there is (`SimulatorTLSIdentity`: TLS,
/// then HTTP/2 or HTTP/1.1 as the client chooses), so a program that serves plain HTTP alone, as
/// the shell's `--demo` does, links no HTTP/2 server (HummingbirdHTTP2) and no X509.
public protocol SimulatorHTTPS: Sendable {
    /// Checks the identity (throws when it cannot be used) and returns what makes the channel of
    /// each accepted connection.
    func channelBuilder() throws -> SimulatorChannelBuilder
}

/// A simulator serving on a port.
public final class RunningSimulator: Sendable {
    public let simulator: Simulator
    public let host: String
    public let port: Int
    /// Whether it serves HTTPS.
    public let isSecure: Bool
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    init(simulator: Simulator, host: String, port: Int, isSecure: Bool, group: ServiceGroup, task: Task<Void, Never>) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.isSecure = isSecure
        self.group = group
        self.task = task
    }

    /// `http://HOST:PORT`, or `https://…`.
    public var url: String { Simulator.url(host: host, port: port, isSecure: isSecure) }

    /// Stops serving and waits until it has: gracefully first (the port is closed, every
    /// connection already accepted is taken in, idle ones are closed, answers under way are
    /// finished), and what is still running 2 s later is cancelled. Cancelling at once would
    /// drop connections accepted but not yet taken in (a TLS handshake under way), and NIO
    /// stops the process for that; the grace lets every live client's handshake end first.
    public func stop() async {
        await group.triggerGracefulShutdown()
        let cancel = Task { [task] in
            try await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        await task.value
        cancel.cancel()
    }
}
