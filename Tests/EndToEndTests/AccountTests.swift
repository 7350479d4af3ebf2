import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// `account` (`whoami`) as people see it: on a pseudo-terminal at 80 and 40 columns read through
/// a terminal emulator, as JSON, replayed from a cassette with no network; and the 402 a shell
/// with no credits left meets.
@Suite(.serialized) struct AccountTests {
    static let terminals = ScreenTests.terminals.filter { $0.columns == 80 || $0.columns == 40 }

    @Test(arguments: terminals)
    func theAccountCardFitsTheTerminal(_ terminal: ScreenTests.Terminal) async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 1_234_567 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let screens = ScreenTests()
            let pty = try screens.start(terminal, sim: sim, home: home)
            defer { pty.terminate() }
            var mark = try await screens.run("account", on: pty, terminal, after: 0)
            try await pty.wait(for: "User ID", after: mark)
            mark = try await screens.run("whoami", on: pty, terminal, after: mark)
            try await pty.wait(for: "User ID", after: mark)
            try await screens.prompt(pty, terminal, after: mark)
            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            screens.expectLaidOut(screen, bytes, terminal)
            let user = try Account(json: try await RawHTTP(sim).get("/v1/user").json())
            #expect(screen.rows.filter { $0 == "demo@extruct.example" }.count == 2, "\(screen.text)")
            #expect(screen.rows(containing: "Organisation  Demo Organisation (demo)").count == 2, "\(screen.text)")
            #expect(screen.rows(containing: "Plan          pro · active").count == 2, "\(screen.text)")
            #expect(screen.rows(containing: "Credits       1,234,567 left").count == 2, "\(screen.text)")
            // The id whole on one row, to be copied.
            #expect(screen.rows(containing: user.userID).count == 2, "\(screen.text)")
            #expect(sim.count("GET", "/v1/user") == 3 && sim.count("GET", "/v1/billing") == 2)
        }
    }

    @Test(arguments: Scheme.allCases)
    func theAccountAsJSONAndFromACassette(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 42 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let json = try await runShell(["--json", "-c", "whoami"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(json.status == 0, "\(json.stderr)")
            let answer = try JSONParser.parse(json.stdout)
            #expect(answer["user"]?["available_credits"] == 42)
            #expect(answer["billing"]?["subscription"]?["plan_tier"] == "pro")
            #expect(answer.objectValue?.keys == ["user", "billing"])

            let recorded = try await runShell(
                ["--record-http", "a.jsonl", "-c", "account"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            #expect(recorded.stdout.contains("Credits       42 left"), "\(recorded.stdout)")
            let cassette = try #require(home.read("a.jsonl"))
            #expect(!cassette.contains(SimulatorFixture.token))
            let offline = try await runShell(
                ["--replay-http", "a.jsonl", "-c", "account"], home: home.path,
                extraEnvironment: ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9"], directory: home.path)
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(offline.stdout == recorded.stdout)
        }
    }

    @Test func withNoCreditsLeftCreateSaysSoAndWhatToDo() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 0 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let run = try await runShell(
                ["-c", "account", "-c", "create \"no credits\" --results 5"], home: home.path, extraEnvironment: sim.shellEnvironment,
                directory: home.path)
            #expect(run.status == 1)
            #expect(run.stdout.contains("none left — create and resume are refused"), "\(run.stdout)")
            #expect(run.stderr.hasPrefix("error: -c:2: "), "\(run.stderr)")
            #expect(
                run.stderr.contains(
                    "create \"no credits\" --results 5: not enough credits left (402 insufficient_credits: No credits left: Deep Search spends one credit a high-fit result.); add credits at https://app.extruct.ai, or ask for fewer results"
                ), "\(run.stderr)")
            #expect(sim.count("POST") == 1)
        }
    }
}
