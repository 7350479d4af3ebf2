import DeepSearch
import DeepSearchSimulator
import Foundation
import LoopbackNetwork
import TestSupport
import Testing

/// What each command costs in requests, counted at the simulator: one request per API command,
/// none for what the session already knows, the connections opened while the user types, and
/// every page of an export at once; and on a path like the internet, the connections for the
/// pages opened while the first request runs.
@Suite struct RoundTripTests {
    /// A session on a pty over HTTPS with a done 250-result task.
    func withSession(_ body: (SimulatorFixture, PseudoTerminal, String) async throws -> Void) async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let task = try await sim.doneTask()
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { pty.terminate() }
            try await body(sim, pty, task.id)
        }
    }

    @Test func theConnectionsAreOpenedWhileTheUserTypes() async throws {
        try await withSession { sim, pty, _ in
            try await pty.waitForPrompt()
            // Nothing typed yet: the connections (TCP and TLS) are already there, and nothing was sent.
            try await waitUntil("the shell opened its connections") { sim.simulator.journal.connections == DefaultTransport.connectionsAhead }
            #expect(sim.simulator.journal.total == 0)
            let mark = try await pty.run("tasks")
            try await pty.waitForPrompt(after: mark)
            #expect(sim.simulator.journal.connections == DefaultTransport.connectionsAhead, "the first command used a connection opened ahead")
            #expect(sim.count("GET", "/v1/discovery_tasks") == 1)
        }
    }

    @Test func eachCommandSendsWhatItNeedsAndNothingElse() async throws {
        try await withSession { sim, pty, id in
            try await waitUntil("the shell opened its connections") { sim.simulator.journal.connections == DefaultTransport.connectionsAhead }
            let steps: [(line: String, requests: Int)] = [
                ("tasks", 1), ("use \(id)", 1), ("status", 1), ("results --limit 10", 1), ("show 1", 0), ("show 10", 0),
                ("help results", 0), ("set page_size 20", 0), ("history", 0), ("token", 0), ("echo $task", 0),
                ("expect status == done", 0), ("export all.json", 3), ("resume 0", 2), ("status", 1),
            ]
            for step in steps {
                let before = sim.simulator.journal.total
                let mark = try await pty.run(step.line)
                try await pty.waitForPrompt(after: mark)
                #expect(sim.simulator.journal.total - before == step.requests, "\(step.line) sends \(step.requests) request(s)")
            }
            #expect(
                sim.simulator.journal.connections == DefaultTransport.connectionsAhead,
                "the connections opened while the user typed carried everything, the pages sent together too")
        }
    }

    /// `use` and `export` in one process, on a relay with a long round trip: every connection
    /// the pages go on is opened while `use` runs (NetworkPathTests counts the round trips on
    /// each, in flights of bytes).
    @Test func theExportsPagesGoOnConnectionsOpenedWhileTheFirstRequestRan() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let task = try await sim.doneTask()
            let relay = try DelayRelay(to: UInt16(sim.running.port), roundTrip: .milliseconds(250))
            defer { relay.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_API_URL"] = "https://127.0.0.1:\(relay.port)"
            let run = try await runShell(
                ["-q", "-c", "use \(task.id)", "-c", "export all.json"], home: home.path, extraEnvironment: environment, directory: home.path)
            #expect(run.status == 0, "\(run.stderr)")
            let exported = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: home.file("all.json")))))
            #expect(exported["results"]?.arrayValue?.count == 250)
            let firstAnswer = try #require(relay.events.first { $0.kind == .firstAnswer })
            let opened = relay.events.filter { $0.kind == .opened }
            #expect(opened.allSatisfy { $0.at < firstAnswer.at }, "every connection was opened while use ran")
            #expect(relay.connectionCount == DefaultTransport.connectionsAhead, "no page waited for a connection of its own")
            #expect(sim.count("GET", "/results") == 3 && sim.simulator.journal.total == 4, "the task, then three pages of 100")
        }
    }
}
