import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Every command that talks to the API × every fault the simulator injects, through the built
/// binary on a pseudo-terminal, over plain HTTP and HTTPS (both through AsyncHTTPClient, HTTPS
/// with TLS): one `error:` line, no stack trace, no hang beyond the timeout, the session
/// unchanged, the next command works; create and resume sent once whatever happens.
@Suite struct FaultMatrixTests {
    struct Fault: Sendable, CustomStringConvertible {
        var name: String
        var rule: FaultRule
        /// Words the error line must hold.
        var says: String
        var description: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "latency beyond the timeout", rule: FaultRule(.latency, milliseconds: 6000), says: "within 3 s"),
        Fault(name: "500", rule: FaultRule(.status, status: 500), says: "500 Internal Server Error"),
        Fault(name: "502 HTML page", rule: FaultRule(.html), says: "502 Bad Gateway"),
        Fault(name: "503", rule: FaultRule(.status, status: 503), says: "503 Service Unavailable"),
        Fault(name: "429 with Retry-After", rule: FaultRule(.rateLimit, retryAfter: 2), says: "wait 2 s"),
        Fault(name: "429 without Retry-After", rule: FaultRule(.rateLimit), says: "rate limited"),
        Fault(name: "402", rule: FaultRule(.paymentRequired), says: "402 plan_required"),
        Fault(name: "connection reset", rule: FaultRule(.reset), says: "://127.0.0.1:"),
        Fault(name: "truncated JSON", rule: FaultRule(.truncated), says: "not valid JSON"),
        Fault(name: "invalid JSON", rule: FaultRule(.invalidJSON), says: "not valid JSON"),
        Fault(name: "empty body", rule: FaultRule(.emptyBody), says: "not valid JSON"),
        Fault(name: "several MiB body", rule: FaultRule(.hugeBody, bytes: 10 << 20), says: "larger than 8 MiB"),
    ]

    /// The commands, each with the request its fault should hit.
    static let commands: [(line: String, method: String, path: String)] = [
        ("create \"matrix\" --results 5", "POST", "/v1/discovery_tasks"),
        ("tasks", "GET", "/v1/discovery_tasks"),
        ("use $task", "GET", "/v1/discovery_tasks/"),
        ("status", "GET", "/v1/discovery_tasks/"),
        ("resume 5", "POST", "/resume"),
        ("results", "GET", "/results"),
        ("results --all", "GET", "/results"),
        ("export out.csv", "GET", "/results"),
        ("watch --interval 0.05", "GET", "/v1/discovery_tasks/"),
        ("raw GET /v1/discovery_tasks", "GET", "/v1/discovery_tasks"),
    ]

    /// A shell on a pseudo-terminal against a new simulator, `settings` made, with a finished
    /// task as the current one.
    struct Stage {
        let sim: SimulatorFixture
        let home: TemporaryDirectory
        let pty: PseudoTerminal
        let task: String

        init(_ scheme: Scheme, settings: [String]) async throws {
            sim = try await SimulatorFixture.start(scheme: scheme)
            home = try TemporaryDirectory()
            pty = try PseudoTerminal(Binaries.shell, ["--no-color"], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            // The task is made before the settings (which cut the timeout to 3 s): on a busy machine
            // a TLS handshake and a create can take longer, and the matrix is about the faults.
            for line in ["create \"matrix base\" --results 5"] + settings {
                let mark = try await pty.run(line)
                try await pty.waitForPrompt(after: mark)
            }
            sim.advance(3600)
            let mark = try await pty.run("status")
            try await pty.wait(for: "done", after: mark)
            try await pty.waitForPrompt(after: mark)
            task = try #require(sim.simulator.journal.entries.last?.path.split(separator: "/").last.map(String.init))
        }

        /// Ends the shell and removes its home (the simulator is stopped by the test).
        func end() {
            pty.terminate()
            home.remove()
        }
    }

    @Test(arguments: Scheme.allCases, faults)
    func everyCommandMeetsTheFaultWithOneErrorLine(_ scheme: Scheme, _ fault: Fault) async throws {
        let stage = try await Stage(scheme, settings: ["set timeout 3", "set retries 0"])
        defer { stage.end() }
        let (sim, home, pty, task) = (stage.sim, stage.home, stage.pty, stage.task)
        var mark = 0

        for command in Self.commands {
            var rule = fault.rule
            rule.method = command.method
            rule.path = command.path
            sim.simulator.faults.add(rule)
            let posts = sim.count("POST")
            let started = Date()
            // The export lands in the test's home, not in the directory the tests run from.
            mark = try await pty.run(command.line.replacing("out.csv", with: home.file("out.csv")))
            try await pty.waitForPrompt(after: mark, timeout: 30)
            let elapsed = Date().timeIntervalSince(started)
            sim.simulator.faults.clear()
            let screen = strippingEscapes(pty.text(since: mark))
            let errors = errorMessages(inScreen: screen)
            #expect(errors.count == 1, "\(scheme) \(fault) × \(command.line): \(screen)")
            #expect(errors.first?.contains(fault.says) == true, "\(scheme) \(fault) × \(command.line): \(errors)")
            #expect(!screen.contains("Fatal error") && !screen.contains("Stack dump") && !screen.contains("Backtrace"))
            #expect(elapsed < 10, "\(fault) × \(command.line) took \(elapsed) s")
            if command.method == "POST" {
                // A slow answer is journalled when it is sent: wait for it, then check there is one.
                try? await waitUntil("the POST was journalled", timeout: 8) { sim.count("POST") != posts }
                #expect(sim.count("POST") - posts == 1, "\(command.line) sent once under \(fault)")
            }
            #expect(screen.contains("extruct \(task.prefix(8)) [done]> "), "the session is unchanged after \(fault) × \(command.line)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.file("out.csv")), "a failed export writes nothing")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).allSatisfy { !$0.contains(".tmp-") })
        mark = try await pty.run("results --limit 2")
        try await pty.wait(for: "high-fit results", after: mark)
        #expect(pty.exitStatus == nil)
        await sim.stop()
    }

    /// Absurd but well-formed answers (the simulator's `hostile` fault: counters at and past the
    /// ends of a 64-bit integer, negative, fractional; strings empty or 10 KB of escapes and wide
    /// characters) to every command: nothing traps, each command ends in its output or one
    /// `error:` line, and the shell goes on.
    @Test(arguments: Scheme.allCases, HostileData.allCases)
    func everyCommandSurvivesHostileAnswers(_ scheme: Scheme, _ data: HostileData) async throws {
        let stage = try await Stage(scheme, settings: ["set timeout 3", "set retries 0", "set watch_timeout 2"])
        defer { stage.end() }
        let (sim, home, pty, task) = (stage.sim, stage.home, stage.pty, stage.task)
        var mark = 0

        for command in Self.commands {
            sim.simulator.faults.add(FaultRule(.hostile, data: data, method: command.method, path: command.path))
            // The export lands in the test's home, not in the directory the tests run from.
            mark = try await pty.run(command.line.replacing("out.csv", with: home.file("out.csv")))
            try await pty.waitForPrompt(after: mark, timeout: 30)
            sim.simulator.faults.clear()
            let screen = strippingEscapes(pty.text(since: mark))
            let errors = errorMessages(inScreen: screen)
            #expect(errors.count <= 1, "\(scheme) \(data) × \(command.line): \(screen.suffix(2000))")
            #expect(!screen.contains("Fatal error") && !screen.contains("Stack dump") && !screen.contains("Backtrace"), "\(data) × \(command.line)")
            #expect(pty.exitStatus == nil, "\(data) × \(command.line) ended the shell")
            // Back to the task as it is for the next command (a hostile answer may have changed it).
            mark = try await pty.run("use \(task)")
            try await pty.waitForPrompt(after: mark)
        }
        mark = try await pty.run("echo still-alive")
        try await pty.wait(for: "\nstill-alive\r\n", after: mark)
        #expect(pty.exitStatus == nil)
        // The shell goes first: a task a hostile answer left looking unfinished is polled behind
        // the prompt, and a request opening an HTTP/2 stream while the simulator shuts down
        // trips an assertion in NIOHTTP2's server (a stream handed to a sequence that ended).
        pty.terminate()
        _ = try? await pty.waitForExit()
        await sim.stop()
    }

    @Test(arguments: Scheme.allCases, faults)
    func inPlaybackAFaultIsExitStatusOne(_ scheme: Scheme, _ fault: Fault) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.clock = WallClock() }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var rule = fault.rule
            rule.path = "/results"
            sim.simulator.faults.add(rule)
            let run = try await runShell(
                [
                    "-c", "set timeout 3", "-c", "set retries 0", "-c", "create \"playback fault\" --results 3", "-c", "results", "-c",
                    "echo not reached",
                ],
                home: home.path, extraEnvironment: sim.shellEnvironment)
            #expect(run.status == 1, "\(scheme) \(fault): \(run.stderr)")
            #expect(run.stderr.components(separatedBy: "error: ").count == 2)
            #expect(!run.stdout.contains("not reached"))
        }
    }
}
