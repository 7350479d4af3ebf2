import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport

@testable import ShellKit

/// A real `Shell` in the test process: an in-memory console (no descriptor, no terminal), a
/// simulator of its own on loopback HTTP with the three sample tasks (reached through
/// AsyncHTTPClient), a polling clock that moves the simulator's time instead of waiting, and a
/// folder of its own for every file it writes (recordings, exports, the task-id cache, the
/// tutorial's progress; no history). Its standard output and error are pipes, or (`terminal`) a
/// terminal `columns` wide (without colour).
@MainActor
final class InProcessShell {
    /// What one line did: its exit status and what it printed on each stream.
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
        /// The `error:` lines it printed.
        var errorLines: [String] { errors.split(separator: "\n").map(String.init).filter { $0.hasPrefix("error:") } }
    }

    let fixture: SimulatorFixture
    let shell: Shell
    let transcript = ConsoleTranscript()
    let folder: TemporaryDirectory
    /// The sample tasks: running, run dry (exhausted), done.
    let running: DiscoveryTask
    let exhausted: DiscoveryTask
    let done: DiscoveryTask
    let clock: VirtualClock
    /// The HTTP transport it was given (a dry run puts another in front, so it is shut down apart).
    private let http: AsyncHTTPClientTransport

    /// A shell on a fresh simulator, `columns` wide, knowing `registry`'s commands; `configure`
    /// may change its options first (`--dry-run`, `--json`…).
    static func start(
        columns: Int = 80, terminal: Bool = false, registry: CommandRegistry = .standard, scheme: Scheme = .http,
        configure: (inout ShellOptions) -> Void = { _ in }
    ) async throws -> InProcessShell {
        let fixture = try await SimulatorFixture.start(scheme: scheme)
        do {
            return try await InProcessShell(fixture: fixture, columns: columns, terminal: terminal, registry: registry, configure: configure)
        } catch {
            await fixture.stop()
            throw error
        }
    }

    private init(
        fixture: SimulatorFixture, columns: Int, terminal: Bool, registry: CommandRegistry, configure: (inout ShellOptions) -> Void
    ) async throws {
        self.fixture = fixture
        let tasks = await fixture.simulator.seedDemoTasks()
        (running, exhausted, done) = (tasks[0], tasks[1], tasks[2])
        folder = try TemporaryDirectory()
        var options = ShellOptions(
            apiURL: fixture.url, apiURLOrigin: "the test", token: SimulatorFixture.token, tokenOrigin: "the test", version: "test")
        options.noHistory = true
        options.noColor = true
        options.taskIDCacheFile = folder.path + "/task-ids.json"
        options.tutorialProgressFile = folder.path + "/tutorial.json"
        options.chainFile = folder.path + "/chain.json"
        configure(&options)
        clock = VirtualClock(linkedTo: fixture.clock)
        // AsyncHTTPClient alone (no proxy routes): these shells talk to their simulator directly,
        // over HTTPS trusting the simulator's throwaway CA.
        let network = NetworkConfiguration(trustedCertificateFiles: fixture.caFile.map { [CertificateFile(path: $0, origin: "the test")] } ?? [])
        http = AsyncHTTPClientTransport(network: network)
        shell = try Shell(
            options: options, transport: http, clock: clock,
            console: Console(transcript: transcript, columns: columns, terminal: terminal), registry: registry)
    }

    /// Runs `line` as a line of a script; what it printed.
    @discardableResult
    func run(_ line: String) async -> Outcome {
        _ = transcript.take()
        let status = await shell.run(line: line, place: "test:1")
        let (output, errors) = transcript.take()
        return Outcome(status: status, output: output, errors: errors)
    }

    /// Runs each of `lines`, which must succeed (a set-up); nothing they print is kept.
    func setUp(_ lines: String...) async throws { try await setUp(lines: lines) }

    func setUp(lines: [String]) async throws {
        for line in lines {
            let outcome = await run(line)
            guard outcome.status == 0 else { throw SetUpFailure(line: line, errors: outcome.errors) }
        }
    }

    /// The session as it stands.
    var session: Session { shell.session }
    /// What `exit` asked for, if it did.
    var exitRequest: Int32? { shell.environment.exitRequest }
    /// Where `record` writes, while it does.
    var recorder: ScriptRecorder? { shell.environment.recorder }

    /// A path in the shell's folder.
    func path(_ name: String) -> String { folder.path + "/" + name }

    /// Stops the simulator and the transport, removes the folder.
    func stop() async {
        await shell.environment.transport.shutdown()
        await http.shutdown()
        await fixture.stop()
        folder.remove()
    }

    /// Runs `body` on a fresh shell and stops it afterwards.
    static func with(
        columns: Int = 80, terminal: Bool = false, registry: CommandRegistry = .standard, scheme: Scheme = .http,
        configure: (inout ShellOptions) -> Void = { _ in }, _ body: (InProcessShell) async throws -> Void
    ) async throws {
        let shell = try await start(columns: columns, terminal: terminal, registry: registry, scheme: scheme, configure: configure)
        do {
            try await body(shell)
            await shell.stop()
        } catch {
            await shell.stop()
            throw error
        }
    }
}

struct SetUpFailure: Error, CustomStringConvertible {
    var line: String
    var errors: String
    var description: String { "set-up line '\(line)' failed: \(errors)" }
}
