import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Credits in the flow, through the built binary against the simulator over http and https: the
/// line create and resume print (checked against the simulator's account), one `GET /v1/user` a
/// command that spends and none for the others, the y/N prompt on a pseudo-terminal, the limit
/// of `--max-credits` in playback, the dry run's total, and a property: random scripts never
/// make the simulator spend past the limit.
@Suite struct SpendingTests {
    /// The account's credits as the simulator keeps them.
    func account(_ sim: SimulatorFixture) async throws -> (available: Int, spent: Int) {
        let json = try await RawHTTP(sim).get("/_sim/account").json()
        return (try #require(json["available_credits"]?.intValue), try #require(json["spent_credits"]?.intValue))
    }

    func shell(_ arguments: [String], input: String = "", _ sim: SimulatorFixture, _ home: TemporaryDirectory) async throws -> ProcessResult {
        try await runShell(arguments, input: input, home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
    }

    @Test(arguments: Scheme.allCases)
    func createAndResumeSayTheMostTheySpendAndWhatIsLeftWithOneReadOfTheAccount(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 312 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let run = try await shell(["-c", "create \"\(sim.query(atLeast: 500))\" --results 50", "-c", "resume 40"], sim, home)
            #expect(run.status == 0, "\(run.stderr)")
            let left = try await account(sim).available
            #expect(left == 312)
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.firstMatch(of: #/^[0-9a-f]{8} target 50 · up to 50 credits · 312 left$/#) != nil }, "\(run.stdout)")
            #expect(
                lines.contains { $0.firstMatch(of: #/^[0-9a-f]{8} target 50 → 90 · up to 40 credits · 312 left · 160 more allowed/#) != nil },
                "\(run.stdout)")
            #expect(sim.count("GET", "/v1/user") == 2, "one read of the account a command that spends")

            // Commands that spend nothing never read it.
            sim.simulator.journal.clear()
            let short = String(run.stdout.prefix(8))
            let quiet = try await shell(["-c", "tasks", "-c", "use \(short)", "-c", "status", "-c", "results", "-c", "account"], sim, home)
            #expect(quiet.status == 0, "\(quiet.stderr)")
            #expect(sim.count("GET", "/v1/user") == 1, "account's own, and no other")
            #expect(sim.count("GET") > 4)

            // As JSON, standard output is the API's answers alone; the figures go to standard error.
            let jsonRun = try await shell(["--json", "-c", "create \"json credits\" --results 7"], sim, home)
            #expect(jsonRun.status == 0, "\(jsonRun.stderr)")
            let answer = try JSONParser.parse(jsonRun.stdout)
            #expect(answer["desired_num_results"] == 7 && answer["credits"] == nil)
            #expect(jsonRun.stderr.firstMatch(of: #/[0-9a-f]{8} target 7 · up to 7 credits · 312 left/#) != nil, "\(jsonRun.stderr)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func whenTheAccountCannotBeReadTheCommandStillSpendsAndSaysOnlyTheMost(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            sim.simulator.faults.add(FaultRule(.status, status: 503, path: "/v1/user"))
            let run = try await shell(["-c", "set retries 0", "-c", "create \"no account\" --results 5", "-c", "resume 3"], sim, home)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains(" target 5 · up to 5 credits\n"), "\(run.stdout)")
            #expect(run.stdout.contains(" target 5 → 8 · up to 3 credits · "), "\(run.stdout)")
            #expect(!run.stdout.contains(" left"), "\(run.stdout)")
            #expect(sim.count("POST") == 2)
        }
    }

    @Test(arguments: Scheme.allCases)
    func aCassetteReplaysTheCreditsLineAndAnOlderOneWithoutTheAccountStillPlays(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 900 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let script = ["-c", "create \"cassette credits\" --results 20", "-c", "resume 5"]
            let recorded = try await shell(["--record-http", "c.jsonl"] + script, sim, home)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            #expect(recorded.stdout.contains("up to 5 credits · 900 left"), "\(recorded.stdout)")
            let offline = ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9"]
            let replayed = try await runShell(
                ["--replay-http", "c.jsonl"] + script, home: home.path, extraEnvironment: offline, directory: home.path)
            #expect(replayed.status == 0, "\(replayed.stderr)")
            #expect(replayed.stdout == recorded.stdout)

            // A cassette from before the account was read: the commands play, the figures say the most.
            let cassette = try #require(home.read("c.jsonl"))
            let older = cassette.split(separator: "\n").filter { !$0.contains("/v1/user") }.joined(separator: "\n") + "\n"
            try older.write(toFile: home.path + "/old.jsonl", atomically: true, encoding: .utf8)
            let old = try await runShell(
                ["--replay-http", "old.jsonl"] + script, home: home.path, extraEnvironment: offline, directory: home.path)
            #expect(old.status == 0, "\(old.stderr)")
            #expect(old.stdout.contains(" target 20 · up to 20 credits\n"), "\(old.stdout)")
            #expect(!old.stdout.contains(" left"), "\(old.stdout)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func maxCreditsRefusesBeforeSendingAndNamesTheLine(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try "create \"budget\" --results 50\nresume 40\n# the next would take it to 115\nresume\nresume 1\n".write(
                toFile: home.path + "/budget.exsh", atomically: true, encoding: .utf8)
            let run = try await shell(["--max-credits", "100", "-f", "budget.exsh"], sim, home)
            #expect(run.status == 1, "a refused command stops the script as a failed one does")
            #expect(
                run.stderr.contains(
                    "error: budget.exsh:4: resume: not sent: up to 25 credits would pass the limit of 100 (--max-credits; 90 asked for already); a larger --max-credits allows it"
                ), "\(run.stderr)")
            #expect(errorMessages(inScreen: run.stderr).count == 1, "\(run.stderr)")
            #expect(sim.count("POST") == 2, "the refused line and those after it sent nothing")

            // The setting does the same, and the smaller limit wins.
            sim.simulator.journal.clear()
            let setting = try await shell(["--max-credits", "500", "-c", "set max_credits 10", "-c", "create \"too big\" --results 11"], sim, home)
            #expect(setting.status == 1)
            #expect(
                setting.stderr.contains(
                    "error: -c:2: create \"too big\" --results 11: not sent: up to 11 credits would pass the limit of 10 (max_credits); set max_credits higher, or off, to allow it"
                ),
                "\(setting.stderr)")
            #expect(sim.count("POST") == 0)

            // raw reaches the endpoints that spend, and goes through the same guard.
            let raw = try await shell(
                ["--max-credits", "5", "-c", #"raw POST /v1/discovery_tasks '{"query": "raw", "desired_num_results": 6}'"#], sim, home)
            #expect(raw.status == 1)
            #expect(
                raw.stderr.contains("not sent: up to 6 credits would pass the limit of 5 (--max-credits); a larger --max-credits allows it"),
                "\(raw.stderr)")
            #expect(sim.count("POST") == 0)

            // Written either way, a negative limit is told its range (not "missing value").
            for arguments in [["--max-credits=-3"], ["--max-credits", "-1"]] {
                let bad = try await shell(arguments + ["-c", "status"], sim, home)
                #expect(bad.status == 2, "a usage error: \(bad.status)")
                #expect(bad.stderr.contains("--max-credits takes a whole number of credits, 0 to 1000000"), "\(arguments): \(bad.stderr)")
            }
        }
    }

    /// A shell's run against a simulator on the wall clock (tasks move while it follows them), in
    /// a home of its own: where the budget's limits are played.
    func withSimulatorOnTheWallClock(_ scheme: Scheme, _ body: (SimulatorFixture, TemporaryDirectory) async throws -> Void) async throws {
        try await SimulatorFixture.with(speed: 300, scheme: scheme, configure: { $0.clock = WallClock() }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try await body(sim, home)
        }
    }

    @Test(arguments: Scheme.allCases)
    func untilAsksTheBudgetBeforeEachRound(_ scheme: Scheme) async throws {
        try await withSimulatorOnTheWallClock(scheme) { sim, home in
            let run = try await shell(
                ["--max-credits", "70"],
                input: """
                    set poll_interval 0.05
                    create "\(sim.query(atLeast: 1100, prefix: "until budget"))" --results 10
                    watch
                    resume --until 200
                    expect num_results == 60
                    resume --until 200

                    """, sim, home)
            #expect(run.status == 1, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.contains("1 round asked for up to 50 credits · \(Self.grouped(SimulatorConfiguration.defaultCredits - 10)) left before them"),
                "\(run.stdout)"
            )
            #expect(
                lines.contains {
                    $0.firstMatch(
                        of:
                            #/^[0-9a-f]{8} stopped at 60 of 200 results after 1 round: the next round of [0-9a-f]{8}: up to 50 credits would pass the limit of 70 \(--max-credits; 60 asked for already\); a larger --max-credits allows it$/#
                    ) != nil
                }, "\(run.stdout)")
            // A second --until with no room for a round is refused as a command is.
            #expect(run.stderr.contains("error: <stdin>:6: resume --until 200: not sent: the next round of "), "\(run.stderr)")
            let spent = try await account(sim).spent
            #expect(spent <= 70 && spent == 60)
        }
    }

    /// collect asks the same guard before each task it makes and each round: a chain stops where
    /// the next step would pass the limit, and a new one the limit refuses makes nothing.
    @Test(arguments: Scheme.allCases)
    func collectAsksTheBudgetBeforeEachTaskAndRound(_ scheme: Scheme) async throws {
        try await withSimulatorOnTheWallClock(scheme) { sim, home in
            let run = try await shell(
                ["--max-credits", "70"],
                input: """
                    set poll_interval 0.05
                    collect 300 "\(sim.query(atLeast: 1100, prefix: "collect budget"))" --results 40
                    expect stop == budget
                    chain clear
                    collect 300 "\(sim.query(atLeast: 1100, prefix: "collect budget two"))" --results 40

                    """, sim, home)
            #expect(run.status == 1, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("1 request asked for up to 40 credits") }, "\(run.stdout)")
            #expect(
                lines.contains {
                    $0.hasPrefix("collected 40 of 300 companies in 1 task: the next round of ")
                        && $0.hasSuffix(
                            ": up to 50 credits would pass the limit of 70 (--max-credits; 40 asked for already); a larger --max-credits allows it")
                }, "\(run.stdout)")
            // The second chain's first task would pass the limit: refused before it is sent.
            #expect(run.stderr.contains("error: <stdin>:5: collect 300 "), "\(run.stderr)")
            #expect(run.stderr.contains("not sent: the next task (--results 40): up to 40 credits would pass the limit of 70"), "\(run.stderr)")
            let spent = try await account(sim).spent
            #expect(spent == 40, "the first task's 40 results, and nothing after")
        }
    }

    @Test func aDryRunEndsWithTheMostTheScriptWouldSpend() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try "create \"dry\" --results 30\nresume 40\nresume\ncreate \"dry two\"\n".write(
            toFile: home.path + "/dry.exsh", atomically: true, encoding: .utf8)
        let run = try await runShell(
            ["--dry-run", "-f", "dry.exsh"], home: home.path, extraEnvironment: ["EXTRUCT_API_URL": "http://127.0.0.1:9"], directory: home.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("# at most 195 credits in all (4 requests that spend)\n"), "\(run.stdout)")
        #expect(!run.stdout.contains("/v1/user"), "a dry run reads no account")

        let limited = try await runShell(
            ["--dry-run", "--max-credits", "60", "-f", "dry.exsh"], home: home.path, extraEnvironment: ["EXTRUCT_API_URL": "http://127.0.0.1:9"],
            directory: home.path)
        #expect(limited.status == 1)
        #expect(limited.stderr.contains("error: dry.exsh:2: resume 40: not sent: up to 40 credits would pass the limit of 60"), "\(limited.stderr)")
        #expect(limited.stdout.hasSuffix("# at most 30 credits in all (1 request that spends)\n"), "\(limited.stdout)")
    }

    /// The y/N prompt on a pseudo-terminal at 80 columns: yes sends, no, Ctrl-C and Ctrl-D do
    /// not; a command under the threshold does not ask; the answers are not in the history.
    @Test func confirmAboveAsksYesOrNoAtThePrompt() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 200 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let screens = ScreenTests()
            let terminal = ScreenTests.Terminal(columns: 80, colour: false)
            let pty = try screens.start(terminal, ["--history-file", home.path + "/history"], sim: sim, home: home)
            defer { pty.terminate() }
            var mark = try await screens.run("set confirm_above 30", on: pty, terminal, after: 0)
            mark = try await screens.run("create \"\(sim.query(atLeast: 500))\" --results 50", on: pty, terminal, after: mark)
            try await pty.wait(for: "create may spend up to 50 credits, more than confirm_above 30. Send it? [y/N] ", after: mark)
            #expect(sim.count("POST") == 0, "nothing is sent while the question waits")
            pty.type("y\r")
            try await pty.wait(for: "up to 50 credits · 200 left", after: mark)
            #expect(sim.count("POST") == 1)
            for (answer, name) in [("no\r", "no"), ("\u{3}", "Ctrl-C"), ("\u{4}", "Ctrl-D"), ("\r", "Enter")] {
                mark = try await screens.run("resume 40", on: pty, terminal, after: mark)
                try await pty.wait(for: "[y/N] ", after: mark)
                pty.type(answer)
                try await pty.wait(for: "not sent: resume 40 would have spent up to 40 credits", after: mark)
                #expect(sim.count("POST") == 1, "\(name) sends nothing")
            }
            mark = try await screens.run("resume 20", on: pty, terminal, after: mark)
            try await pty.wait(for: "up to 20 credits · 200 left", after: mark)
            #expect(!pty.text(since: mark).contains("[y/N]"), "20 is not above 30")
            #expect(sim.count("POST") == 2)
            // More than is left asks too.
            mark = try await screens.run("set confirm_above off", on: pty, terminal, after: mark)
            mark = try await screens.run("create \"more than left\" --results 250 --exclude acme.com", on: pty, terminal, after: mark)
            try await pty.wait(for: "create may spend up to 250 credits, more than the 200 left", after: mark)
            pty.type("n\r")
            try await pty.wait(for: "not sent: create would have spent up to 250 credits", after: mark)
            _ = try await screens.run("exit", on: pty, terminal, after: mark)
            #expect(sim.count("POST") == 2)
            let screen = try await TerminalScreen.render(pty.bytes, columns: terminal.columns)
            screens.expectLaidOut(screen, pty.bytes, terminal)
            _ = try await pty.waitForExit()
            let history = try #require(home.read("history"))
            #expect(!history.split(separator: "\n").contains { ["y", "no", ""].contains($0) }, "\(history)")
            #expect(history.contains("resume 20"), "\(history)")
        }
    }

    /// `99990` as the shell writes it, `99,990`.
    static func grouped(_ n: Int) -> String {
        var digits = Array(String(n))
        var i = digits.count - 3
        while i > 0 {
            digits.insert(",", at: i)
            i -= 3
        }
        return String(digits)
    }

    /// SplitMix64, as the secrets' property test draws its lines.
    typealias Choices = SecretsPropertyTests.Choices

    /// A script of creates, resumes and collects, as a person in a hurry would write one.
    static func script(_ c: inout Choices, queries: [String]) -> String {
        var lines = ["set poll_interval 0.05", "create \"\(queries[c.pick(queries.count)])\" --results \(1 + c.pick(40))"]
        for _ in 0..<(1 + c.pick(5)) {
            switch c.pick(10) {
            case 0, 1:
                let results = c.pick(4) == 0 ? "" : " --results \(1 + c.pick(40))"
                lines.append("create \"\(queries[c.pick(queries.count)])\"\(results)")
            case 2: lines.append("resume \(c.pick(41))")
            case 3: lines.append("resume")
            case 4: lines.append("resume max")
            case 5, 6: lines.append("resume --until \(1 + c.pick(120))")
            case 7: lines.append("resume --until max")
            case 9 where c.pick(2) == 0:
                // A chain of tasks; a new one only once the last is forgotten.
                let results = c.pick(3) == 0 ? "" : " --results \(1 + c.pick(40))"
                lines += ["chain clear", "collect \(1 + c.pick(60)) \"\(queries[c.pick(queries.count)])\"\(results)"]
            case 8:
                let query = queries[c.pick(queries.count)]
                lines.append(#"raw POST /v1/discovery_tasks '{"query": "\#(query)", "desired_num_results": \#(1 + c.pick(40))}'"#)
            default: lines.append("watch")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Random scripts (`raw` requests that spend and `collect` among them) with a random `--max-credits`: what the simulator charged never passes it,
    /// however the commands failed or were refused along the way.
    @Test func randomScriptsNeverSpendPastMaxCredits() async throws {
        // The same scripts on every run; SPENDING_SEED=N plays others.
        let seed = ProcessInfo.processInfo.environment["SPENDING_SEED"].flatMap(UInt64.init) ?? 21
        var c = Choices(state: seed)
        var charged = 0
        var refused = 0
        var collects = 0
        for round in 0..<6 {
            try await SimulatorFixture.with(speed: 300, configure: { $0.clock = WallClock() }) { sim in
                let home = try TemporaryDirectory()
                defer { home.remove() }
                let queries = [sim.query(atLeast: 1100, prefix: "budget big"), sim.query(poolAtMost: 150, atLeast: 80, prefix: "budget dry")]
                let limit = c.pick(160)
                let script = Self.script(&c, queries: queries)
                collects += script.components(separatedBy: "\ncollect ").count - 1
                let run = try await runShell(
                    ["--json", "--continue-on-error", "--max-credits", String(limit)], input: script, home: home.path,
                    extraEnvironment: sim.shellEnvironment, directory: home.path, timeout: 60)
                let context = "seed \(seed) round \(round), --max-credits \(limit):\n\(script)\(run.stderr)"
                #expect([0, 1].contains(run.status), "\(context)")
                refused += run.stderr.components(separatedBy: "would pass the limit").count - 1
                // Every task, run to its end: what it will ever charge is charged.
                let deadline = ContinuousClock.now + .seconds(30)
                for id in await sim.simulator.taskIDs() {
                    while let task = await sim.simulator.task(id: id), !task.status.isTerminal {
                        guard ContinuousClock.now < deadline else {
                            Issue.record("task \(id) never ended; \(context)")
                            return
                        }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                let spent = try await account(sim).spent
                #expect(spent <= limit, "the simulator charged \(spent); \(context)")
                charged += spent
            }
        }
        // The default seed's scripts both spend and meet the limit, so the property is not proven by
        // scripts that did nothing.
        #expect(charged > 0, "seed \(seed): no script spent anything")
        if seed == 21 {
            #expect(refused > 0, "seed 21 met the limit \(refused) times")
            #expect(collects > 0, "seed 21 drew \(collects) collects")
        }
    }
}
