import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// What each command costs in requests, counted at the simulator: one request per API command,
/// none for what the session already knows, the connection opened while the user types, and
/// every page of an export at once.
@Suite struct RoundTripTests {
    /// A session on a pty over HTTPS with a done 250-result task.
    func withSession(_ body: (SimulatorFixture, PseudoTerminal, String) async throws -> Void) async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let task = try DiscoveryTask(
                json: try await RawHTTP(sim).post("/v1/discovery_tasks", #"{"query": "\#(sim.query(atLeast: 1100))", "desired_num_results": 250}"#)
                    .json())
            sim.advance(10 * 3600)
            sim.simulator.journal.clear()
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { pty.terminate() }
            try await body(sim, pty, task.id)
        }
    }

    @Test func theConnectionIsOpenedWhileTheUserTypes() async throws {
        try await withSession { sim, pty, _ in
            try await pty.waitForPrompt()
            // Nothing typed yet: the connection (TCP and TLS) is already there.
            try await waitUntil("the shell opened its connection") { sim.count("GET", "/v1/healthcheck") == 1 }
            #expect(sim.simulator.journal.connections == 1)
            let mark = try await pty.run("tasks")
            try await pty.waitForPrompt(after: mark)
            #expect(sim.simulator.journal.connections == 1, "the first command used the connection opened ahead")
            #expect(sim.count("GET", "/v1/discovery_tasks") == 1)
        }
    }

    @Test func eachCommandSendsWhatItNeedsAndNothingElse() async throws {
        try await withSession { sim, pty, id in
            try await waitUntil("the shell opened its connection") { sim.count("GET", "/v1/healthcheck") == 1 }
            let steps: [(line: String, requests: Int)] = [
                ("tasks", 1), ("use \(id)", 1), ("status", 1), ("results --limit 10", 1), ("show 1", 0), ("show 10", 0),
                ("help results", 0), ("set page_size 20", 0), ("history", 0), ("token", 0), ("echo $task", 0),
                ("expect status == done", 0), ("export all.json", 3), ("resume 0", 1), ("status", 1),
            ]
            for step in steps {
                let before = sim.simulator.journal.total
                let mark = try await pty.run(step.line)
                try await pty.waitForPrompt(after: mark)
                #expect(sim.simulator.journal.total - before == step.requests, "\(step.line) sends \(step.requests) request(s)")
            }
            #expect(sim.simulator.journal.connections == 1, "one connection: the pages sent together share it (HTTP/2)")
        }
    }
}
