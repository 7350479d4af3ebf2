import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Presenter mode (`--step`), narration (`#:`) and `pause`, through the built binary on a real
/// pseudo-terminal: the shell is seen blocked on a read of its terminal before anything is
/// asserted absent, so "nothing happened yet" is a fact, not a guess about timing.
@Suite(.serialized) struct PresenterTests {
    struct Stage {
        let sim: SimulatorFixture
        let home: TemporaryDirectory

        func presenter(_ arguments: [String]) throws -> PseudoTerminal {
            try PseudoTerminal(Binaries.shell, arguments, environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
        }
    }

    func withStage(_ body: (Stage) async throws -> Void) async throws {
        try await SimulatorFixture.with { sim in
            await sim.simulator.seedDemoTasks()
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try await body(Stage(sim: sim, home: home))
        }
    }

    @Test func eachCommandWaitsForAKeyIsTypedOutAndRunsOnEnter() async throws {
        try await withStage { stage in
            let path = try stage.home.write(
                "demo.exsh",
                """
                #: Narration comes first.
                echo one
                pause Questions so far?
                echo two
                echo three
                echo four
                """)
            let pty = try stage.presenter(["--step", "--typing", "2", path])
            defer { pty.terminate() }

            try await pty.waitForKeyRead(showing: "extruct> ")
            #expect(pty.screen.contains("Narration comes first."))
            #expect(!pty.screen.contains("echo one"), "nothing is typed before a key")

            pty.type(" ")
            try await pty.waitForKeyRead(showing: "extruct> echo one")
            #expect(!pty.screen.contains("\r\none\r\n"), "nothing runs before Enter")
            var mark = pty.mark
            pty.type("\r")
            try await pty.wait(for: "\r\none\r\n", after: mark)

            // pause: its text, then a key; it is never shown as a command.
            try await pty.waitForKeyRead(showing: "Questions so far?", after: mark)
            #expect(!pty.text(since: mark).contains("echo two"))
            #expect(!pty.screen.contains("pause"))
            mark = pty.mark
            pty.type("x")

            // s skips "echo two", before or after it is typed out.
            try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            mark = pty.mark
            pty.type("s")
            try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            pty.type(" ")
            try await pty.waitForKeyRead(showing: "extruct> echo three", after: mark)
            mark = pty.mark
            pty.type("s")

            // q stops where it is: exit 130, the place named.
            try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            pty.type("q")
            let status = try await pty.waitForExit()
            #expect(status == 130)
            #expect(pty.screen.contains("stopped at \(path):6"), "\(pty.screen)")
            for skipped in ["two", "three", "four"] { #expect(!pty.screen.contains("\r\n\(skipped)\r\n")) }
            // A skipped command is shown as skipped, whether it was typed out or not.
            let screen = strippingEscapes(pty.screen)
            #expect(screen.contains("extruct> echo two  (skipped)\r\n"), "\(screen)")
            #expect(screen.contains("extruct> echo three  (skipped)\r\n"), "\(screen)")
            #expect(pty.terminalSettings.map { $0.c_lflag & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO) } == true, "the terminal is put back")
        }
    }

    @Test(arguments: ["\u{03}", "\u{04}"])
    func ctrlCOrCtrlDAtAKeyStopsWith130(_ key: String) async throws {
        try await withStage { stage in
            let path = try stage.home.write("demo.exsh", "echo one\necho two\n")
            let pty = try stage.presenter(["--step", path])
            defer { pty.terminate() }
            try await pty.waitForKeyRead(showing: "extruct> ")
            pty.type(key)
            #expect(try await pty.waitForExit() == 130)
            #expect(pty.screen.contains("stopped at \(path):1"))
            #expect(!pty.screen.contains("one\r\n"))
        }
    }

    /// At the next command's prompt after `mark`: a key types `command` out, Enter runs it.
    /// Returns the mark before Enter.
    @discardableResult
    func present(_ command: String, on pty: PseudoTerminal, after mark: Int) async throws -> Int {
        try await pty.waitForKeyRead(showing: "> ", after: mark)
        pty.type(" ")
        try await pty.waitForKeyRead(showing: "> " + command, after: mark)
        let before = pty.mark
        pty.type("\r")
        return before
    }

    /// A script's check that fails after the presenter changed the session at the prompt: the
    /// presenter is asked (r retry, c continue, q stop), the live demo is not ended.
    @Test(arguments: ["c", "q"])
    func aFailedExpectAfterThePromptLetsThePresenterChoose(_ last: String) async throws {
        try await withStage { stage in
            let tasks = try await RawHTTP(stage.sim).get("/v1/discovery_tasks").json().arrayValue ?? []
            let done = try #require(tasks.first { $0["status"] == "done" && $0["is_exhausted"] == false }?["id"]?.stringValue)
            let running = try #require(tasks.first { $0["status"] != "done" }?["id"]?.stringValue)
            let path = try stage.home.write("demo.exsh", "use \(done)\nexpect status == done\necho after\n")
            let pty = try stage.presenter(["--step", "--typing", "0", "--no-history", "--no-color", path])
            defer { pty.terminate() }
            var mark = try await present("use ", on: pty, after: 0)
            // At the expect, the presenter opens the prompt and makes another task current.
            try await pty.waitForKeyRead(showing: "[done]> ", after: mark)
            mark = pty.mark
            pty.type("i")
            try await pty.waitForPrompt(after: mark)
            mark = pty.mark
            pty.type("use \(running)\r")
            try await pty.waitForPrompt(after: mark + 5)
            pty.type("\u{04}")
            mark = try await present("expect status == done", on: pty, after: mark + 5)
            try await pty.waitForKeyRead(showing: "r retry · c continue · q stop", after: mark)
            #expect(pty.text(since: mark).contains("error: \(path):2: expect status == done"), "the failure is reported")
            #expect(pty.exitStatus == nil, "the demo goes on")
            // r: the same command again, and again it fails.
            mark = pty.mark
            pty.type("r")
            mark = try await present("expect status == done", on: pty, after: mark)
            try await pty.waitForKeyRead(showing: "r retry · c continue · q stop", after: mark)
            mark = pty.mark
            pty.type(last)
            if last == "c" {
                try await present("echo after", on: pty, after: mark)
                #expect(try await pty.waitForExit() == 0, "continued past the failure")
                #expect(pty.text(since: mark).contains("\r\nafter\r\n"))
            } else {
                #expect(try await pty.waitForExit() == 3, "stopped with the expect's status")
                #expect(pty.text(since: mark).contains("stopped at \(path):2"))
            }
        }
    }

    @Test func iOpensThePromptOnTheSessionAndCtrlDGoesBack() async throws {
        try await withStage { stage in
            let path = try stage.home.write("demo.exsh", "set who before\necho who=$who\n")
            let pty = try stage.presenter(["--step", "--typing", "0", "--no-history", path])
            defer { pty.terminate() }
            var mark = try await present("set who before", on: pty, after: 0)

            try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            mark = pty.mark
            pty.type("i")
            // Said in words wrapped to the terminal's width.
            try await pty.wait(for: "Ctrl-D goes back to \(path):2", after: mark) {
                strippingEscapes($0).replacing("\r\n", with: " ").contains("Ctrl-D goes back to \(path):2")
            }
            try await pty.waitForPrompt(after: mark)
            mark = pty.mark
            pty.type("echo now $who\r")
            try await pty.wait(for: "\r\nnow before\r\n", after: mark)
            try await pty.waitForPrompt(after: mark)
            mark = pty.mark
            pty.type("set who changed\r")
            try await pty.waitForPrompt(after: mark)
            mark = pty.mark
            pty.type("\u{04}")

            // Back in the script, at the command it left, with the session as the prompt left it.
            try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            pty.type(" ")
            try await pty.waitForKeyRead(showing: "extruct> echo who=$who", after: mark)
            pty.type("\r")
            try await pty.wait(for: "\r\nwho=changed\r\n", after: mark)
            #expect(try await pty.waitForExit() == 0)
        }
    }

    /// The prompt opened again and again costs no file descriptor; what is typed there is
    /// recorded as at any prompt (no secret in it), and the presenter's own lines are not.
    @Test func iOpenedAgainAndAgainLeaksNothing() async throws {
        try await withStage { stage in
            let path = try stage.home.write("demo.exsh", "echo one\necho two\n")
            let cast = stage.home.file("demo.cast")
            // The token in use is another one: EXTRUCT_API_TOKEN is still a secret.
            let pty = try stage.presenter(["--step", "--typing", "0", "--no-history", "--token", "another-token-0123456", "--cast", cast, path])
            defer { pty.terminate() }
            try await pty.waitForKeyRead(showing: "extruct> ")
            var counts: [Int] = []
            for round in 0..<4 {
                counts.append(try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pty.pid)/fd").count)
                let mark = pty.mark
                pty.type("i")
                try await pty.wait(for: "Ctrl-D goes back to \(path):1", after: mark)
                try await pty.waitForPrompt(after: mark)
                if round == 0 {
                    let typed = pty.mark
                    pty.type("echo $EXTRUCT_API_TOKEN\r")
                    try await pty.wait(for: "\r\n…\r\n", after: typed)
                    try await pty.waitForPrompt(after: typed)
                }
                pty.type("\u{04}")
                try await pty.waitForKeyRead(showing: "extruct> ", after: mark)
            }
            counts.append(try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pty.pid)/fd").count)
            // The first prompt sets up what lives for the process (the editor's wake-up pipe…).
            #expect(Set(counts.dropFirst()).count == 1, "descriptors open before each i and after the last: \(counts)")
            pty.type("q")
            _ = try await pty.waitForExit()
            let recorded = try CastTests.read(cast).output
            #expect(!recorded.contains(SimulatorFixture.token), "the token typed for at the prompt")
            #expect(!recorded.contains("Ctrl-D goes back"), "the presenter's own line is not recorded")
            #expect(!recorded.contains("stopped at"))
        }
    }

    /// The same script, presented with --step and played with --echo, shows the same screen.
    @Test func presentingShowsWhatEchoShows() async throws {
        try await withStage { stage in
            let path = try stage.home.write(
                "demo.exsh",
                """
                #: The tasks of this account.
                tasks
                use $last[2].id
                #: Its funnel, then the best three.
                status
                results --limit 3
                pause not shown by echo
                echo done
                """)
            let echoed = try stage.presenter(["--echo", path])
            defer { echoed.terminate() }
            #expect(try await echoed.waitForExit() == 0)

            let pty = try stage.presenter(["--step", "--typing", "0", path])
            defer { pty.terminate() }
            var mark = 0
            for command in ["tasks", "use $last[2].id", "status", "results --limit 3", "PAUSE", "echo done"] {
                try await pty.waitForKeyRead(showing: command == "PAUSE" ? "not shown by echo" : "> ", after: mark)
                if command == "PAUSE" {
                    mark = pty.mark
                    pty.type(" ")
                    continue
                }
                pty.type(" ")
                try await pty.waitForKeyRead(showing: "> " + command, after: mark)
                mark = pty.mark
                pty.type("\r")
            }
            #expect(try await pty.waitForExit() == 0)
            let presented = pty.screen.replacing("\u{1B}[2mnot shown by echo\u{1B}[0m\r\n", with: "")
            #expect(presented == echoed.screen)
            #expect(echoed.screen.contains("\u{1B}[2mThe tasks of this account.\u{1B}[0m\r\nextruct> tasks\r\n"))
            #expect(echoed.screen.contains(" [\u{1B}[32mdone\u{1B}[0m]> status\r\n"), "\(echoed.screen)")
        }
    }

    @Test func withoutATerminalStepRefusesAndPauseAndNarrationAreSilent() async throws {
        try await withStage { stage in
            let path = try stage.home.write("demo.exsh", "#: Said only when commands are shown.\npause Questions?\necho ran\n")
            let env = stage.sim.shellEnvironment
            let refused = try await runShell(["--step", path], home: stage.home.path, extraEnvironment: env)
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("error: --step waits for keys, and standard input is not a terminal"), "\(refused.stderr)")

            let plain = try await runShell([path], home: stage.home.path, extraEnvironment: env)
            #expect(plain.status == 0)
            #expect(plain.stdout == "ran\n")

            let echoed = try await runShell(["--echo", path], home: stage.home.path, extraEnvironment: env)
            #expect(echoed.stdout == "Said only when commands are shown.\nextruct> echo ran\nran\n")
        }
    }

    /// What `scripts/demo --step` does: the shipped onboarding script presented on the built-in
    /// simulator, a key before each command and Enter to run it, pauses included.
    @Test func theOnboardingScriptIsPresentedStepByStep() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let script = Binaries.packageRoot + "/scripts/onboarding.exsh"
        let lines = try String(contentsOfFile: script, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty && (!$0.hasPrefix("#") || $0.hasPrefix("#:")) }
        let env = testEnvironment(home: home.path, extra: ["EXTRUCT_DEMO_SPEED": "2000"])
        let pty = try PseudoTerminal(
            Binaries.shell, ["--demo", "--step", "--typing", "0", "--no-color", script], environment: env, columns: 120, rows: 40)
        defer { pty.terminate() }
        var mark = 0
        for line in lines where !line.hasPrefix("#:") {
            if line.hasPrefix("pause") {
                if line.count > 6 { try await pty.wait(for: String(line.dropFirst(6)), after: mark) }
                try await pty.waitUntilReadingKeys()
                mark = pty.mark
                pty.type(" ")
                continue
            }
            try await pty.wait(for: "the prompt before \(line)", after: mark) { $0.hasSuffix("> ") }
            try await pty.waitUntilReadingKeys()
            #expect(!pty.text(since: mark).contains(line), "typed only after a key")
            pty.type(" ")
            try await pty.waitForKeyRead(showing: "> " + line, after: mark)
            mark = pty.mark
            pty.type("\r")
            try await pty.wait(for: "\r\n", after: mark)
        }
        #expect(try await pty.waitForExit(timeout: 60) == 0, "\(pty.screen.suffix(2000))")
        for narration in lines where narration.hasPrefix("#:") {
            #expect(pty.screen.contains(String(narration.dropFirst(3))))
        }
        #expect(pty.screen.contains("Questions about the funnel?"))
    }
}
