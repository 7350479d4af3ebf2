import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// `collect`, `chain` and `export --chain` through the built binary, against the simulator over
/// http and https: the chain kept across a restart (its file 0600), a cassette of a collect
/// played offline, and Ctrl-C at a terminal of 80 columns leaving a chain that
/// `collect --continue` carries on.
@Suite struct CollectEndToEndTests {
    /// Seconds a terminal may take to show what is awaited: the machine the suite runs on may
    /// be loaded far past its cores (every wait is a poll with this deadline, never a sleep).
    static let patience = 90.0

    /// A fast simulator on the wall clock and a home of its own, as `resume --until`'s tests have.
    func withFastSimulator(_ scheme: Scheme, _ body: (SimulatorFixture, TemporaryDirectory) async throws -> Void) async throws {
        try await ResumeUntilTests().withFastSimulator(scheme, body)
    }

    @Test(arguments: Scheme.allCases)
    func theChainSurvivesARestartOfTheShell(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            // A small pool: the first task runs dry, the follow-up finds nothing more.
            let query = sim.query(poolAtMost: 150, atLeast: 80, prefix: "collect restart")
            let first = try await runShell(
                ["-c", "set poll_interval 0.05", "-c", "collect 100 \"\(query)\""], home: home.path, extraEnvironment: sim.shellEnvironment,
                directory: home.path, timeout: Self.patience)
            #expect(first.status == 0, "\(first.stderr)")
            let found = try #require(
                first.stdout.firstMatch(of: #/collected (\d+) of 100 companies in 2 tasks: task 2 added 0 new/#).map { String($0.1) })
            let file = home.path + "/state/extruct-shell/chain.json"
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            let ids = first.stdout.split(separator: "\n").compactMap { line in
                line.firstMatch(of: #/^task \d · ([0-9a-f]{8}) · /#).map { String($0.1) }
            }
            #expect(ids.count == 2, "\(first.stdout)")

            // A new process: the chain is there, and export --chain reads it.
            let later = try await runShell(
                ["-c", "chain", "-c", "export --chain all.csv"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path,
                timeout: Self.patience)
            #expect(later.status == 0, "\(later.stderr)")
            let lines = later.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "chain of 2 tasks · \(found) of 100 companies · \(query)", "\(later.stdout)")
            for (number, id) in ids.enumerated() { #expect(lines.contains { $0.hasPrefix("\(number + 1)  \(id)  ") }, "\(later.stdout)") }
            #expect(lines.contains("wrote \(found) companies of a chain of 2 tasks to all.csv (csv)"))
            #expect(home.read("all.csv")?.split(separator: "\r\n").count == Int(found)! + 1)
            // Another API has no chain.
            let elsewhere = try await runShell(
                ["-c", "chain"], home: home.path, extraEnvironment: sim.shellEnvironment(host: "localhost"), directory: home.path,
                timeout: Self.patience)
            #expect(elsewhere.status == 1)
            #expect(elsewhere.stderr.contains("there is no chain: collect N QUERY starts one"), "\(elsewhere.stderr)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aCassetteOfACollectReplaysOfflineWithTheSameOutput(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            try home.write(
                "collect.exsh",
                """
                set poll_interval 0.05
                collect 100 "\(sim.query(poolAtMost: 150, atLeast: 80, prefix: "collect cassette"))" --results 20
                expect stop == dry
                chain
                export --chain all.jsonl
                """)
            let recorded = try await runShell(
                ["--record-http", "collect.jsonl", "collect.exsh"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path,
                timeout: Self.patience)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            #expect(recorded.stdout.contains(" of 100 companies in 2 tasks: task 2 added 0 new"), "\(recorded.stdout)")
            let exported = home.read("all.jsonl")
            try FileManager.default.removeItem(atPath: home.path + "/all.jsonl")
            let offline = try await runShell(
                ["--replay-http", "collect.jsonl", "collect.exsh"], home: home.path,
                extraEnvironment: ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9", "XDG_STATE_HOME": home.path + "/offline-state"],
                directory: home.path, timeout: Self.patience)
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(offline.stdout == recorded.stdout)
            #expect(home.read("all.jsonl") == exported)
            // A replay keeps no chain of its own.
            #expect(!FileManager.default.fileExists(atPath: home.path + "/offline-state/extruct-shell/chain.json"))
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCAt80ColumnsLeavesAChainThatCollectContinueCarriesOn(_ scheme: Scheme) async throws {
        // A manual clock: the task moves only when the test says.
        let sim = try await SimulatorFixture.start(scheme: scheme)
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let pty = try PseudoTerminal(
            Binaries.shell, ["--no-history"], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment), columns: 80)
        do {
            let query = sim.query(atLeast: 1100, prefix: "collect ctrl-c")
            try await pty.waitForPrompt(timeout: Self.patience)
            var mark = try await pty.run("set poll_interval 0.05", timeout: Self.patience)
            try await pty.waitForPrompt(after: mark, timeout: Self.patience)
            mark = try await pty.run("collect 120 \"\(query)\" --results 60", timeout: Self.patience)
            try await pty.wait(for: "the create", after: mark, timeout: Self.patience) { _ in sim.count("POST", "/v1/discovery_tasks") == 1 }
            let polls = sim.count("GET")
            try await pty.wait(for: "polls", after: mark, timeout: Self.patience) { _ in sim.count("GET") > polls + 2 }
            pty.type("\u{03}")
            try await pty.wait(for: "stopped at 0 of 120 companies in task 1; collect --continue goes on", after: mark, timeout: Self.patience)
            try await pty.waitForPrompt(after: mark, timeout: Self.patience)
            #expect(!strippingEscapes(pty.text(since: mark)).contains("error:"))
            let id = try #require(sim.simulator.journal.entries.first { $0.method == "GET" && $0.path.hasPrefix("/v1/discovery_tasks/") }?.path)
                .split(separator: "/")[2]

            // The chain holds the task; collect --continue follows it, then goes on.
            mark = try await pty.run("chain", timeout: Self.patience)
            try await pty.wait(for: "the chain", after: mark, timeout: Self.patience) { strippingEscapes($0).contains("1  \(id.prefix(8))  ") }
            try await pty.waitForPrompt(after: mark, timeout: Self.patience)
            mark = try await pty.run("collect --continue", timeout: Self.patience)
            for _ in 0..<400 {
                let polls = sim.count("GET")
                let text = try await pty.wait(for: "two polls", after: mark, timeout: Self.patience) { text in
                    sim.count("GET") > polls + 1 || strippingEscapes(text).contains("collected ")
                }
                if strippingEscapes(text).contains("collected ") { break }
                sim.advance(30)
            }
            try await pty.wait(for: "collected 120 companies (asked for 120)", after: mark, timeout: Self.patience) {
                strippingEscapes($0).replacingOccurrences(of: "\r\n", with: " ").contains("collected 120 companies (asked for 120)")
            }
            try await pty.waitForPrompt(after: mark, timeout: Self.patience)
            // Laid out for 80 columns: no row wrapped, the task's line and the last line whole.
            let screen = try await TerminalScreen.render(pty.bytes, columns: 80)
            #expect(screen.wrappedRows.isEmpty || !screen.wrappedRows.contains { $0.contains("task 1 · ") }, "\(screen.text)")
            #expect(screen.rows.contains { $0 == "task 1 · \(id.prefix(8)) · 120 results · 120 new · 0 dup · done · 120/120" }, "\(screen.text)")
            #expect(sim.count("POST", "/v1/discovery_tasks") - sim.count("POST", "/resume") == 1, "no second task was needed")
            #expect(pty.exitStatus == nil)
        } catch {
            pty.terminate()
            await sim.stop()
            throw error
        }
        pty.terminate()
        await sim.stop()
    }
}
