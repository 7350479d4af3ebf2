import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C during every kind of request, during paging and during a typed demo; SIGTERM and
/// SIGHUP mid-request; concurrent shells on one history. After each: a sane terminal, the
/// history complete, no half-written file.
@Suite(.serialized) struct InterruptTests {
    static let requests: [(line: String, path: String)] = [
        ("create \"slow\" --results 5", "/v1/discovery_tasks"), ("tasks", "/v1/discovery_tasks"), ("use $task", "/v1/discovery_tasks/"),
        ("status", "/v1/discovery_tasks/"), ("resume 5", "/resume"), ("results", "/results"), ("export out.csv", "/results"),
        ("raw GET /v1/discovery_tasks", "/v1/discovery_tasks"), ("watch --interval 0.05", "/v1/discovery_tasks/"),
    ]

    @Test(arguments: Scheme.allCases)
    func ctrlCCancelsEveryKindOfRequestAndTheShellGoesOn(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { pty.terminate() }
            var mark = try await pty.run("create \"base\" --results 5")
            try await pty.waitForPrompt(after: mark)
            var typed = ["create \"base\" --results 5"]
            for request in Self.requests {
                sim.simulator.faults.add(FaultRule(.latency, milliseconds: 15_000, path: request.path, count: 1))
                mark = try await pty.run(request.line)
                typed.append(request.line)
                // Interrupt once the slow request is under way.
                try await sim.waitUntilFaultsAreUsed()
                let started = Date()
                pty.type("\u{03}")
                let text = try await pty.wait(for: "interrupted or stopped", after: mark, timeout: 10) {
                    $0.contains("interrupted") || $0.contains("stopped watching")
                }
                #expect(Date().timeIntervalSince(started) < 5, "\(request.line) stopped at once")
                try await pty.waitForPrompt(after: mark)
                #expect(!text.contains("error:"), "\(request.line): an interrupt is not an error: \(text)")
                // The line breaks at spaces to fit the terminal's 80 columns: read it joined.
                let said = text.replacing("\r\n", with: " ")
                // Credits may have been spent: the shell says how to find out before trying again.
                if request.line.hasPrefix("create") {
                    #expect(
                        said.contains("interrupted after create was sent; the task may have been created: check with tasks before trying again"),
                        "\(text)")
                } else if request.line.hasPrefix("resume") {
                    #expect(said.contains("the task may have been resumed: status "), "\(text)")
                }
                sim.simulator.faults.clear()
            }
            #expect(!FileManager.default.fileExists(atPath: home.file("out.csv")))
            #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).allSatisfy { !$0.contains(".tmp-") })
            mark = try await pty.run("echo still-alive")
            try await pty.wait(for: "\nstill-alive\r\n", after: mark)
            typed.append("echo still-alive")
            let history = home.read("state/extruct-shell/history") ?? ""
            #expect(history == typed.joined(separator: "\n") + "\n")
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCWhilePagingThroughEverything(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let http = RawHTTP(sim)
            let task = try DiscoveryTask(
                json: try await http.post("/v1/discovery_tasks", #"{"query": "\#(sim.query(atLeast: 900))", "desired_num_results": 200}"#).json())
            sim.advance(4 * 3600)
            // 200 results are three pages of 100 (the last one empty, saying it ended); the third
            // is slow: Ctrl-C arrives mid-paging (over https the pages go out together).
            sim.simulator.faults.add(FaultRule(.latency, milliseconds: 6000, path: "/results", count: 1, skip: 2))
            let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { pty.terminate() }
            var mark = try await pty.run("use \(task.id)")
            try await pty.waitForPrompt(after: mark)
            mark = try await pty.run("export all.jsonl")
            try await sim.waitUntilFaultsAreUsed()  // the third page, the slow one, was asked for
            try await waitUntil("the two other pages were answered") { sim.count("GET", "/results") == 2 }
            pty.type("\u{03}")
            try await pty.wait(for: "interrupted", after: mark)
            #expect(!FileManager.default.fileExists(atPath: home.file("all.jsonl")), "no half-written export")
            #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).allSatisfy { !$0.contains(".tmp-") })
            mark = try await pty.run("results --all")
            try await pty.wait(for: "rows 1–200 of 200", after: mark)
            try await pty.waitForPrompt(after: mark)
        }
    }

    @Test func ctrlCStopsATypedDemoWith130AndLeavesTheTerminalSane() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let script = try home.write("demo.exsh", "echo one\necho a long line typed out slowly for the audience\necho never\n")
        let pty = try PseudoTerminal(Binaries.shell, ["--typing", "40", script], environment: testEnvironment(home: home.path))
        defer { pty.terminate() }
        try await pty.wait(for: "extruct> echo a lo")
        pty.type("\u{03}")
        let exited = try await pty.waitForExit()
        #expect(exited == 130, "\(pty.screen.suffix(1500))")
        #expect(!pty.screen.contains("never\r\n"))
        #expect(TerminalState.matchesFreshPTY(try #require(pty.terminalSettings)))
    }

    @Test(arguments: Scheme.allCases, [SIGTERM, SIGHUP])
    func aSignalMidRequestEndsTheShellWithTheTerminalSane(_ scheme: Scheme, _ signal: Int32) async throws {
        // The slow answer is the command's: over HTTPS the shell opens its connection ahead with a
        // request of its own (/v1/healthcheck), which must not be the one that waits.
        let slow = FaultRule(.latency, milliseconds: 15_000, path: "/v1/discovery_tasks", count: 1)
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.faults = [slow] }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { pty.terminate() }
            let mark = try await pty.run("tasks")
            try await sim.waitUntilFaultsAreUsed()
            pty.signal(signal)
            let exited = try await pty.waitForExit(timeout: 10)
            #expect(exited == 128 + signal, "\(pty.screen.suffix(1500))")
            #expect(TerminalState.matchesFreshPTY(try #require(pty.terminalSettings)))
            #expect(home.read("state/extruct-shell/history") == "tasks\n")
            _ = mark
        }
    }

    /// A crash while the editor holds the terminal in its own mode (no echo, no canonical
    /// input): the fatal-signal handler puts the terminal back before the process dies.
    @Test(arguments: [SIGSEGV, SIGABRT, SIGBUS])
    func aCrashAtThePromptLeavesTheTerminalSane(_ signal: Int32) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let pty = try PseudoTerminal(Binaries.shell, [], environment: testEnvironment(home: home.path))
        defer { pty.terminate() }
        try await pty.waitForPrompt()
        pty.type("half a li")
        try await pty.wait(for: "half a li")
        #expect(TerminalState.matchesFreshPTY(try #require(pty.terminalSettings)) == false, "the editor has the terminal in its own mode")
        pty.signal(signal)
        let exited = try await pty.waitForExit(timeout: 10)
        #expect(exited == 128 + signal)
        #expect(TerminalState.matchesFreshPTY(try #require(pty.terminalSettings)))
    }

    @Test func twoShellsAppendingToOneHistoryLoseNothing() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = home.file("shared-history")
        let shells = try (0..<2).map { _ in
            try PseudoTerminal(Binaries.shell, ["--history-file", path], environment: testEnvironment(home: home.path))
        }
        defer { for shell in shells { shell.terminate() } }
        for shell in shells { try await shell.waitForPrompt() }
        let count = 150
        // Both type at once; each line waits only for its own prompt.
        async let a: Void = typeLines(shells[0], prefix: "a", count: count)
        async let b: Void = typeLines(shells[1], prefix: "b", count: count)
        _ = try await (a, b)
        let lines = (home.read("shared-history") ?? "").split(separator: "\n").map(String.init)
        #expect(lines.count == 2 * count)
        #expect(Set(lines) == Set((0..<count).flatMap { ["echo a-\($0)", "echo b-\($0)"] }))
        #expect(lines.filter { $0.hasPrefix("echo a-") } == (0..<count).map { "echo a-\($0)" }, "each shell's lines stay in order")
    }

    func typeLines(_ pty: PseudoTerminal, prefix: String, count: Int) async throws {
        for i in 0..<count {
            let mark = try await pty.run("echo \(prefix)-\(i)")
            // What echo printed, on a line of its own: the typed line's own echo ("echo a-1\r\n")
            // ends the same way and comes before the shell has read the line, let alone kept it.
            try await pty.wait(for: "\r\n\(prefix)-\(i)\r\n", after: mark)
        }
    }
}
