import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built shell on a real pseudo-terminal against a simulator on a loopback port: typing,
/// history, completion, Ctrl-C, Ctrl-D, signals, the history file.
@Suite(.serialized) struct InteractiveShellTests {
    struct Setup {
        let sim: SimulatorFixture
        let home: TemporaryDirectory
        let pty: PseudoTerminal
        var historyPath: String { home.path + "/state/extruct-shell/history" }
        var history: String { (FileManager.default.contents(atPath: historyPath)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
    }

    func withShell(
        _ arguments: [String] = [], seedTasks: Bool = false, environment: [String: String] = [:], scheme: Scheme = .http,
        configure: (inout SimulatorConfiguration) -> Void = { _ in }, home existing: TemporaryDirectory? = nil,
        _ body: (Setup) async throws -> Void
    ) async throws {
        let sim = try await SimulatorFixture.start(scheme: scheme, configure: configure)
        if seedTasks { await sim.simulator.seedDemoTasks() }
        let home = try existing ?? TemporaryDirectory()
        let env = testEnvironment(home: home.path, extra: sim.shellEnvironment.merging(environment) { $1 })
        let pty = try PseudoTerminal(Binaries.shell, arguments, environment: env)
        let setup = Setup(sim: sim, home: home, pty: pty)
        do {
            try await body(setup)
        } catch {
            pty.terminate()
            await sim.stop()
            if existing == nil { home.remove() }
            throw error
        }
        pty.terminate()
        await sim.stop()
        if existing == nil { home.remove() }
    }

    @Test func showsThePromptRunsACommandAndExitsZeroOnCtrlD() async throws {
        try await withShell(seedTasks: true) { s in
            try await s.pty.waitForPrompt()
            #expect(s.pty.screen.contains("extruct> "))
            let mark = try await s.pty.run("tasks")
            try await s.pty.wait(for: "exhausted: no more candidates", after: mark)
            #expect(s.sim.count("GET", "/v1/discovery_tasks") == 1)
            try await s.pty.waitForPrompt(after: mark)
            s.pty.type("\u{04}")
            let exited = try await s.pty.waitForExit()
            #expect(exited == 0, "\(s.pty.screen.suffix(1500))")
        }
    }

    @Test func jsonIsPrettyOnATerminal() async throws {
        try await withShell(["--json"]) { s in
            try await s.pty.waitForPrompt()
            let mark = try await s.pty.run("token")
            try await s.pty.waitForPrompt(after: mark)
            // Indented, one member a line, for people; a pipe gets one compact line instead.
            #expect(s.pty.text(since: mark).contains("{\r\n  \"token\": \"…77e2\",\r\n  \"source\": "), "\(s.pty.text(since: mark))")
        }
    }

    @Test func interactiveAfterPlaybackWithDashI() async throws {
        try await withShell(["-c", "set q played-first", "-i"]) { s in
            try await s.pty.waitForPrompt()
            let mark = try await s.pty.run("echo $q")
            try await s.pty.wait(for: "\nplayed-first\r\n", after: mark)
            s.pty.type("exit 4\r")
            let exited = try await s.pty.waitForExit()
            #expect(exited == 4, "\(s.pty.screen.suffix(1500))")
        }
    }

    @Test func thePromptShowsTheCurrentTaskAndItsStatus() async throws {
        try await withShell(seedTasks: true) { s in
            try await s.pty.waitForPrompt()
            try await s.pty.run("tasks")
            let tasks = try await RawHTTP(s.sim).get("/v1/discovery_tasks").json().arrayValue ?? []
            let done = try #require(tasks.first { $0["status"] == "done" }?["id"]?.stringValue)
            let mark = try await s.pty.run("use \(done.prefix(6))")
            let text = try await s.pty.wait(for: "extruct \(done.prefix(8)) [", after: mark)
            #expect(strippingEscapes(text).contains("extruct \(done.prefix(8)) [done]> "))
        }
    }

    @Test func upArrowRecallsTheLastLineAndCtrlRSearchesHistory() async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            var mark = try await s.pty.run("echo first-line")
            try await s.pty.wait(for: "\nfirst-line\r\n", after: mark)
            mark = try await s.pty.run("echo second-line")
            try await s.pty.wait(for: "\nsecond-line\r\n", after: mark)
            try await s.pty.waitForPrompt(after: mark)
            mark = s.pty.mark
            s.pty.type("\u{1B}[A\u{1B}[A\r")
            try await s.pty.wait(for: "\nfirst-line\r\n", after: mark)
            try await s.pty.waitForPrompt(after: mark)
            mark = s.pty.mark
            s.pty.type("\u{12}second\r")
            try await s.pty.wait(for: "\nsecond-line\r\n", after: mark)
        }
    }

    @Test func tabCompletesCommandsOptionsAndSeenTaskIDsWithoutTheNetwork() async throws {
        try await withShell(seedTasks: true) { s in
            try await s.pty.waitForPrompt()
            var mark = s.pty.mark
            s.pty.type("sta\t\r")
            try await s.pty.wait(for: "no current task", after: mark)
            #expect(s.sim.simulator.journal.total == 0, "completion never touches the network")
            mark = try await s.pty.run("tasks")
            try await s.pty.wait(for: "exhausted: no more candidates", after: mark)
            let tasks = try await RawHTTP(s.sim).get("/v1/discovery_tasks").json().arrayValue ?? []
            let id = try #require(tasks.last?["id"]?.stringValue)
            let before = s.sim.simulator.journal.total
            try await s.pty.waitForPrompt(after: mark)
            mark = s.pty.mark
            s.pty.type("use \(id.prefix(3))\t")
            try await s.pty.wait(for: String(id.suffix(6)), after: mark)
            #expect(s.sim.simulator.journal.total == before)
            s.pty.type("\r")
            try await s.pty.wait(for: "extruct \(id.prefix(8))", after: mark)
            try await s.pty.waitForPrompt(after: s.pty.mark - 5)
            mark = s.pty.mark
            s.pty.type("results --al\t\r")
            try await s.pty.wait(for: "high-fit results", after: mark)
            let last = try #require(s.sim.simulator.journal.entries.last)
            #expect(last.path.hasSuffix("/results"))
        }
    }

    /// Tab after `set` completes a setting's name, then the words it takes; what it fills in is taken.
    @Test func tabCompletesASettingAndItsValues() async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            var mark = s.pty.mark
            // The first Tab completes the name (one candidate), the second lists its values.
            s.pty.type("set colo\t\t")
            try await s.pty.wait(for: "the values color takes", after: mark) { text in
                let plain = strippingEscapes(text)
                return ["auto", "on", "off"].allSatisfy(plain.contains)
            }
            mark = s.pty.mark
            s.pty.type("of\t\r")
            try await s.pty.waitForPrompt(after: mark)
            #expect(!s.pty.text(since: mark).contains("error:"))
            mark = try await s.pty.run("set color")
            try await s.pty.wait(for: "\noff\r\n", after: mark)
        }
    }

    /// On a typed line and on an empty one (libedit hands back an empty line the way it hands
    /// back the end of input, so that case once ended the shell).
    @Test(arguments: ["tasks", ""])
    func ctrlCAtThePromptDiscardsTheLine(_ typed: String) async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            let mark = s.pty.mark
            s.pty.type(typed + "\u{03}")
            try await s.pty.wait(for: "^C", after: mark)
            try await s.pty.waitForPrompt(after: mark + 2)
            s.pty.type("\u{03}")
            s.pty.type("echo still-here\r")
            try await s.pty.wait(for: "\nstill-here\r\n", after: mark)
            #expect(s.sim.simulator.journal.total == 0)
            #expect(s.pty.exitStatus == nil)
        }
    }

    @Test func ctrlCStopsWatchingAndTheShellGoesOn() async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            var mark = try await s.pty.run("create \"watch me\" --results 50")
            try await s.pty.wait(for: "created task", after: mark)
            try await s.pty.waitForPrompt(after: mark)
            #expect(strippingEscapes(s.pty.text(since: mark)).contains("[created]> "))
            s.sim.advance(20)
            mark = try await s.pty.run("watch --interval 0.05")
            try await s.pty.wait(for: "in_progress", after: mark)
            let polls = s.sim.count("GET", "/v1/discovery_tasks/")
            try await s.pty.wait(for: "more polls", after: mark) { _ in s.sim.count("GET", "/v1/discovery_tasks/") > polls + 2 }
            s.pty.type("\u{03}")
            try await s.pty.wait(for: "stopped watching", after: mark)
            // The prompt shows the status watch last saw, not the one before it.
            try await s.pty.waitForPrompt(after: mark)
            #expect(strippingEscapes(s.pty.text(since: mark)).contains("[in_progress]> "), "\(s.pty.text(since: mark))")
            mark = try await s.pty.run("echo alive")
            try await s.pty.wait(for: "\nalive\r\n", after: mark)
            // The current task is still there.
            try await s.pty.wait(for: "extruct ", after: mark + 5)
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCCancelsASlowRequest(_ scheme: Scheme) async throws {
        let slow = FaultRule(.latency, milliseconds: 20_000, path: "/v1/discovery_tasks", count: 1)
        try await withShell(scheme: scheme, configure: { $0.faults = [slow] }) { s in
            try await s.pty.waitForPrompt()
            var mark = try await s.pty.run("tasks")
            try await s.sim.waitUntilFaultsAreUsed()
            let started = Date()
            s.pty.type("\u{03}")
            try await s.pty.wait(for: "interrupted", after: mark)
            #expect(Date().timeIntervalSince(started) < 10, "cancelled long before the 20 s latency")
            mark = try await s.pty.run("tasks")
            try await s.pty.wait(for: "no tasks", after: mark)
        }
    }

    @Test func errorsOfEveryKindLeaveTheShellRunningWithItsState() async throws {
        try await withShell(seedTasks: true, configure: { $0.faults = [FaultRule(.status, status: 503, path: "/results")] }) { s in
            try await s.pty.waitForPrompt()
            let tasks = try await RawHTTP(s.sim).get("/v1/discovery_tasks").json().arrayValue ?? []
            let id = try #require(tasks.last?["id"]?.stringValue)
            var mark = try await s.pty.run("use \(id)")
            try await s.pty.wait(for: "extruct \(id.prefix(8))", after: mark)
            for (line, expected) in [
                ("use 00000000-0000-4000-8000-000000000000", "not found (404)"),
                ("create x --results 999", "create --results takes 1…250 (got 999)"),
                ("frobnicate", "unknown command"),
                ("echo \"unterminated", "unterminated double quote"),
                ("results", "503"),
                ("resume 300", "resume takes 0…250 (got 300)"),
                ("show 5", "no results loaded"),
                ("set page_size 0", "page_size takes a whole number from 1 to 250, not '0'"),
                ("set timeout nan", "timeout takes seconds between 0.1 and 600, not 'nan'"),
                ("expect status == nope", "expected status == nope"),
            ] {
                mark = try await s.pty.run(line)
                let text = try await s.pty.wait(for: expected, after: mark)
                try await s.pty.waitForPrompt(after: mark)
                let errors = errorMessages(inScreen: strippingEscapes(s.pty.text(since: mark)))
                #expect(errors.count == 1, "one error line for \(line): \(text.debugDescription)")
                #expect(!text.contains("Fatal error") && !text.contains("Stack"))
                #expect(strippingEscapes(s.pty.text(since: mark)).contains("extruct \(id.prefix(8))"), "the current task stays after \(line)")
            }
            mark = try await s.pty.run("echo alive")
            try await s.pty.wait(for: "\nalive\r\n", after: mark)
        }
    }

    @Test func editsMultiByteInput() async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            let mark = s.pty.mark
            // Type, move left over the wide characters, insert, go to the end.
            s.pty.type("echo héllo 日本\u{1B}[D\u{1B}[D✓\u{05} ok\r")
            try await s.pty.wait(for: "héllo ✓日本 ok\r\n", after: mark)
        }
    }

    @Test func theHistoryFileIsPrivateCompleteAndHoldsNoToken() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try FileManager.default.createDirectory(atPath: home.path + "/state/extruct-shell", withIntermediateDirectories: true)
        let path = home.path + "/state/extruct-shell/history"
        _ = FileManager.default.createFile(atPath: path, contents: Data("echo from-before\n".utf8), attributes: [.posixPermissions: 0o644])
        let secret = "tok_live_9f8e7d6c5b4a3210"
        try await withShell(home: home) { s in
            try await s.pty.waitForPrompt()
            var mark = s.pty.mark
            s.pty.type("\u{1B}[A\r")
            try await s.pty.wait(for: "\nfrom-before\r\n", after: mark)
            for line in ["echo one", "echo one", " echo hidden", "token \(secret)", "echo two"] {
                mark = try await s.pty.run(line)
                try await s.pty.waitForPrompt(after: mark)
            }
            #expect(s.pty.screen.components(separatedBy: secret).count == 2, "the token shows only as it was typed")
            let history = s.history
            #expect(history == "echo from-before\necho one\ntoken …\necho two\n")
            #expect(s.home.mode("state/extruct-shell/history") == 0o600)
            // Killed without a chance to clean up: nothing typed is lost.
            mark = try await s.pty.run("echo three")
            // The output line, not the typed line's echo (which also ends "three\r\n").
            try await s.pty.wait(for: "\nthree\r\n", after: mark)
            s.pty.signal(SIGKILL)
            _ = try await s.pty.waitForExit()
            #expect(s.history.hasSuffix("echo two\necho three\n"))
        }
    }

    @Test func noHistoryKeepsNoFileAndHistoryFileMovesIt() async throws {
        try await withShell(["--no-history"]) { s in
            try await s.pty.waitForPrompt()
            let mark = try await s.pty.run("echo x")
            try await s.pty.waitForPrompt(after: mark)
            #expect(!FileManager.default.fileExists(atPath: s.historyPath))
        }
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await withShell(["--history-file", home.path + "/h"], home: home) { s in
            try await s.pty.waitForPrompt()
            let mark = try await s.pty.run("echo x")
            try await s.pty.waitForPrompt(after: mark)
            #expect(home.read("h") == "echo x\n")
        }
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalAtThePromptRestoresTheTerminalAndExits(_ signal: Int32) async throws {
        try await withShell { s in
            try await s.pty.waitForPrompt()
            let cooked = try #require(s.pty.terminalSettings)
            _ = cooked
            s.pty.signal(signal)
            let exited = try await s.pty.waitForExit()
            #expect(exited == 128 + signal, "\(s.pty.screen.suffix(1500))")
            let after = try #require(s.pty.terminalSettings)
            #expect(after.c_lflag & tcflag_t(ICANON) != 0)
            #expect(after.c_lflag & tcflag_t(ECHO) != 0)
            #expect(after.c_lflag & tcflag_t(ISIG) != 0)
            #expect(TerminalState.matchesFreshPTY(after), "the terminal is as a new one")
        }
    }

    @Test(arguments: Scheme.allCases)
    func sigtermDuringARequestEndsTheShellCleanly(_ scheme: Scheme) async throws {
        let slow = FaultRule(.latency, milliseconds: 20_000, path: "/v1/discovery_tasks", count: 1)
        try await withShell(scheme: scheme, configure: { $0.faults = [slow] }) { s in
            try await s.pty.waitForPrompt()
            _ = try await s.pty.run("tasks")
            try await s.sim.waitUntilFaultsAreUsed()
            s.pty.signal(SIGTERM)
            let exited = try await s.pty.waitForExit(timeout: 10)
            #expect(exited == 143, "\(s.pty.screen.suffix(1500))")
            #expect(TerminalState.matchesFreshPTY(try #require(s.pty.terminalSettings)))
        }
    }

    @Test func followsWindowResizes() async throws {
        try await withShell(seedTasks: true) { s in
            try await s.pty.waitForPrompt()
            let tasks = try await RawHTTP(s.sim).get("/v1/discovery_tasks").json().arrayValue ?? []
            let id = try #require(tasks.last?["id"]?.stringValue)
            var mark = try await s.pty.run("use \(id)")
            try await s.pty.waitForPrompt(after: mark)
            mark = try await s.pty.run("results --limit 5")
            let wide = try await s.pty.wait(for: "grades:", after: mark)
            #expect(Self.widest(wide) > 70)
            s.pty.resize(columns: 60, rows: 30)
            try await s.pty.waitForPrompt(after: mark)
            mark = try await s.pty.run("results --limit 5")
            let narrow = try await s.pty.wait(for: "grades:", after: mark)
            #expect(Self.widest(narrow) <= 60)
        }
    }

    static func widest(_ text: String) -> Int {
        strippingEscapes(text).components(separatedBy: "\r\n").filter { !$0.contains("extruct") }.map { TextWidthProbe.of($0) }.max() ?? 0
    }
}
