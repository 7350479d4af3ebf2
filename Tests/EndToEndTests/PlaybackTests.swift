import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Script playback through the built binary: entry points, format, errors and exit codes,
/// variables, expect, echo/typing/dry-run, record and replay.
@Suite struct PlaybackTests {
    struct Run {
        let sim: SimulatorFixture
        let home: TemporaryDirectory

        var environment: [String: String] { sim.shellEnvironment }

        func shell(_ arguments: [String], input: String = "", extra: [String: String] = [:], timeout: Double = 60) async throws -> ProcessResult {
            try await runShell(
                arguments, input: input, home: home.path, extraEnvironment: environment.merging(extra) { $1 }, directory: home.path, timeout: timeout)
        }
    }

    /// A live simulator (wall clock, fast) so scripts can create, watch and read.
    func withRun(
        speed: Double = 300, scheme: Scheme = .http, configure: (inout SimulatorConfiguration) -> Void = { _ in }, _ body: (Run) async throws -> Void
    ) async throws {
        try await SimulatorFixture.with(
            speed: speed, scheme: scheme,
            configure: { c in
                c.clock = WallClock()
                configure(&c)
            }
        ) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try await body(Run(sim: sim, home: home))
        }
    }

    static let script = """
        #!/usr/bin/env extruct-shell
        # A small session
        set poll_interval 0.05
        create "vertical SaaS companies serving freight forwarding" --results 5
        expect desired_num_results == 5
        watch
        expect status == done
        results --limit 3
        expect num_results == 5
        echo first: $last.results[0].company_name
        """

    @Test func everyEntryPointPlaysTheSameScript() async throws {
        try await withRun { r in
            let path = try r.home.write("demo.exsh", Self.script)
            chmod(path, 0o755)
            let runs: [(String, ProcessResult)] = [
                ("FILE", try await r.shell([path])),
                ("-f FILE", try await r.shell(["-f", path])),
                ("-f -", try await r.shell(["-f", "-"], input: Self.script)),
                ("piped", try await r.shell([], input: Self.script)),
                ("-c …", try await r.shell(Self.script.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { ["-c", String($0)] })),
                ("source", try await r.shell(["-c", "source demo.exsh"])),
                (
                    "shebang",
                    try await runProcess(
                        path, [],
                        environment: testEnvironment(
                            home: r.home.path, extra: r.environment.merging(["PATH": Binaries.directory + ":/usr/bin:/bin"]) { $1 }),
                        directory: r.home.path)
                ),
            ]
            for (name, run) in runs {
                #expect(run.status == 0, "\(name): \(run.stderr)")
                let lines = run.stdout.split(separator: "\n")
                #expect(lines.count == 9, "\(name) printed:\n\(run.stdout)")
                #expect(lines.last?.hasPrefix("first: ") == true, "\(name)")
                #expect(!run.stdout.contains("\u{1B}"), "\(name): no escapes when piped")
            }
            // Tasks are deterministic per seed, so every run found the same first company.
            #expect(Set(runs.map { $0.1.stdout.split(separator: "\n").last ?? "" }).count == 1)
        }
    }

    @Test func theFormatTakesCRLFABOMContinuationsAndComments() async throws {
        try await withRun { r in
            let text =
                "\u{FEFF}# comment\r\n\r\necho one \\\r\n  two\r\n   # indented comment\r\necho \"#not a comment\"\r\necho three # trailing comment\r\n"
            let path = try r.home.write("crlf.exsh", text)
            let run = try await r.shell(["-f", path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "one two\n#not a comment\nthree\n")
            // Standard input follows the same rules, a last line that continues included.
            let piped = try await r.shell([], input: text + "echo last \\")
            #expect(piped.stdout == run.stdout + "last\n", "\(piped.stderr)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func stopsAtTheFirstFailureWithFileLineAndCommand(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            let path = try r.home.write("stop.exsh", "echo before\nuse 00000000-0000-4000-8000-000000000000\necho after\n")
            let run = try await r.shell([path])
            #expect(run.status == 1)
            #expect(run.stdout == "before\n")
            #expect(
                run.stderr.contains(
                    "error: \(path):2: use 00000000-0000-4000-8000-000000000000: task 00000000-0000-4000-8000-000000000000 not found (404)"))
            #expect(run.stderr.components(separatedBy: "error:").count == 2, "one error line")
            let going = try await r.shell(["--continue-on-error", path])
            #expect(going.status == 1)
            #expect(going.stdout == "before\nafter\n")
        }
    }

    @Test(arguments: Scheme.allCases)
    func exitStatusesAreTheDocumentedOnes(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            #expect(try await r.shell(["-c", "echo ok"]).status == 0)
            #expect(try await r.shell(["-c", "use nope"]).status == 1)
            #expect(try await r.shell(["-c", "resume 300"]).status == 1)
            #expect(try await r.shell(["-c", "frobnicate"]).status == 2)
            #expect(try await r.shell(["-c", "echo \"open"]).status == 2)
            #expect(try await r.shell(["missing.exsh"]).status == 2)
            #expect(try await r.shell(["--typing", "-5", "-c", "echo"]).status == 2)
            #expect(try await r.shell(["--no-such-flag"]).status == 2)
            let badUTF8 = try r.home.write("bad.exsh", bytes: Array("echo a\n".utf8) + [0xFF, 0xFE, 0x0A])
            let bad = try await r.shell([badUTF8])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("\(badUTF8):2: line 2 is not valid UTF-8"))
            #expect(try await r.shell(["-c", "expect error == 404"]).status == 3)
            #expect(try await r.shell([], input: "use nope\n").status == 1)
            #expect(try await r.shell([], input: "expect status == done\n").status == 3)
        }
    }

    @Test func aTypoIsFoundBeforeAnythingRuns() async throws {
        try await withRun { r in
            let path = try r.home.write("typo.exsh", "create \"first\"\nstatus\nresme 10\n")
            let run = try await r.shell([path])
            #expect(run.status == 2)
            #expect(run.stderr.contains("\(path):3: resme 10: unknown command 'resme'; did you mean resume?"))
            #expect(r.sim.simulator.journal.total == 0, "nothing was sent")
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCStopsPlaybackWith130(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            let path = try r.home.write("slow.exsh", "echo start\nsleep 30\necho never\n")
            let process = try ChildProcess(Binaries.shell, [path], environment: testEnvironment(home: r.home.path, extra: r.environment))
            defer { close(process.stdin) }
            let output = PipeReader(FileHandle(fileDescriptor: process.stdout, closeOnDealloc: true))
            let errors = PipeReader(FileHandle(fileDescriptor: process.stderr, closeOnDealloc: true))
            try await waitUntil("the script started", timeout: 30) { output.text.contains("start") }
            // Whether it lands during `sleep 30` or just before it, Ctrl-C stops the playback.
            kill(process.pid, SIGINT)
            try await waitUntil("the shell ended", timeout: 30) { process.hasEnded && output.isAtEnd && errors.isAtEnd }
            #expect(process.status == 130)
            #expect(!output.text.contains("never"))
        }
    }

    @Test func nestedSourcesAndACycleNamedByItsChain() async throws {
        try await withRun { r in
            try r.home.write("inner.exsh", "echo inner\nuse 00000000-0000-4000-8000-000000000000\n")
            let outer = try r.home.write("outer.exsh", "echo outer\nsource inner.exsh\necho not-reached\n")
            let run = try await r.shell([outer])
            #expect(run.status == 1)
            #expect(run.stdout == "outer\ninner\n")
            #expect(run.stderr.contains("inner.exsh:2 (sourced from outer.exsh): use 00000000-0000-4000-8000-000000000000: task 00000000"))
            #expect(run.stderr.contains("not found"))
            #expect(run.stderr.components(separatedBy: "error:").count == 2, "reported once: \(run.stderr)")
            try r.home.write("a.exsh", "echo a\nsource b.exsh\n")
            try r.home.write("b.exsh", "echo b\nsource a.exsh\n")
            let cycle = try await r.shell(["a.exsh"])
            #expect(cycle.status == 1)
            #expect(cycle.stderr.contains("a cycle: a.exsh → b.exsh → a.exsh"))
        }
    }

    @Test func variablesEnvironmentTaskAndLast() async throws {
        try await withRun { r in
            let script = """
                set q "freight forwarding software"
                create "$q" --results 3
                echo [${q}] [$FROM_ENV] [$task] [$last.query] [$last.criteria[0].key]
                set n 3
                expect desired_num_results == $n
                echo $undefined_thing
                """
            let run = try await r.shell([], input: script, extra: ["FROM_ENV": "env value"])
            #expect(run.status == 1)
            let line = try #require(run.stdout.split(separator: "\n").last)
            #expect(line.hasPrefix("[freight forwarding software] [env value] ["))
            #expect(line.hasSuffix("] [freight forwarding software] [matches_query]"))
            #expect(run.stderr.contains("<stdin>:6: echo $undefined_thing: $undefined_thing is not set"))
        }
    }

    @Test(arguments: [
        ("expect status == created", true), ("expect status != done", true), ("expect desired_num_results < 11", true),
        ("expect desired_num_results <= 10", true), ("expect desired_num_results > 9", true), ("expect desired_num_results >= 10", true),
        ("expect query ~ freight", true), ("expect query ~ \"/^[a-z]+ f.*g$/\"", true), ("expect criteria[0].key == matches_query", true),
        ("expect error == 200", true), ("expect $last.is_exhausted == false", true),
        ("expect status == done", false), ("expect status != created", false), ("expect desired_num_results < 10", false),
        ("expect desired_num_results <= 9", false), ("expect desired_num_results > 10", false), ("expect desired_num_results >= 11", false),
        ("expect query ~ shipping", false), ("expect query ~ /^shipping/", false), ("expect no_such_field == 1", false),
        ("expect error == 404", false),
    ])
    func everyExpectOperatorPassesAndFails(_ line: String, _ holds: Bool) async throws {
        try await withRun(speed: 1) { r in
            let run = try await r.shell(["-c", "create \"freight forwarding\" --results 10", "-c", line])
            #expect(run.status == (holds ? 0 : 3), "\(line): \(run.stderr)")
            if !holds {
                #expect(run.stderr.contains("error: -c:2: \(line): expected"))
                #expect(run.stderr.contains("saw") || run.stderr.contains("has no"))
            }
        }
    }

    @Test func tryLetsAnExpectedFailureThroughAndErrorHoldsItsStatus() async throws {
        try await withRun { r in
            let run = try await r.shell([], input: "try use 00000000-0000-4000-8000-000000000000\nexpect error == 404\necho went on\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("not found (404)"))
            #expect(run.stdout == "went on\n")
        }
    }

    @Test func echoShowsEachCommandAsAtThePrompt() async throws {
        try await withRun { r in
            let run = try await r.shell(["--echo"], input: "echo hello\ncreate \"echo test\" --results 2\necho bye\n")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "extruct> echo hello")
            #expect(lines[1] == "hello")
            #expect(lines[2] == "extruct> create \"echo test\" --results 2")
            #expect(lines.contains { $0.hasPrefix("extruct ") && $0.hasSuffix("[created]> echo bye") }, "\(lines)")
        }
    }

    @Test func typingTypesEachCommandOut() async throws {
        try await withRun { r in
            let run = try await r.shell(["--typing", "1"], input: "echo typed\n")
            #expect(run.status == 0)
            #expect(run.stdout == "extruct> echo typed\ntyped\n")
        }
    }

    @Test func dryRunPrintsRequestsAndSendsNothing() async throws {
        try await withRun { r in
            let run = try await r.shell(
                ["--dry-run"], input: "tasks --limit 2\ncreate \"dry\" --results 7\nresume 5\nexpect status == done\nresults --limit 3\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(r.sim.simulator.journal.total == 0)
            #expect(run.stdout.contains("GET \(r.sim.url)/v1/discovery_tasks?offset=0&limit=2"))
            #expect(run.stdout.contains("POST \(r.sim.url)/v1/discovery_tasks\n"))
            #expect(run.stdout.contains("  Authorization: Bearer …"))
            #expect(run.stdout.contains("\"desired_num_results\": 7"))
            #expect(run.stdout.contains("/resume"))
            #expect(run.stdout.contains("# would check: status == done"))
            #expect(!run.stdout.contains(SimulatorFixture.token))
        }
    }

    @Test func dryRunKeepsTheSessionGoing() async throws {
        try await withRun { r in
            let run = try await r.shell(
                ["--dry-run", "--echo"],
                input: "use 3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e\nstatus\ncreate \"dry\" --results 7\nresults --limit 3\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(r.sim.simulator.journal.total == 0)
            // use makes its task current, though no answer came.
            #expect(run.stdout.contains("extruct 3f2a8c1e> status\nGET \(r.sim.url)/v1/discovery_tasks/3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e\n"))
            // After create, a placeholder that says what it stands for.
            #expect(run.stdout.contains("# NEW-TASK-ID stands for the id the API would return for this task\n"))
            #expect(run.stdout.contains("extruct NEW-TASK> results --limit 3\nGET \(r.sim.url)/v1/discovery_tasks/NEW-TASK-ID/results?"))
            #expect(!run.stderr.contains("no current task"))
        }
    }

    @Test func watchInAScriptPrintsOneLinePerChange() async throws {
        // Simulated time moves only between polls the test has seen, so the task is seen at
        // several stages however busy the machine is.
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let shell = Task {
                try await runShell(
                    [], input: "set poll_interval 0.05\ncreate \"\(sim.query(atLeast: 100, prefix: "watch lines"))\" --results 5\nwatch\n",
                    home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            }
            try await waitUntil("the task was created", timeout: 30) { sim.count("POST") == 1 }
            let id = try #require(try await RawHTTP(sim).get("/v1/discovery_tasks").json()[0]?["id"]?.stringValue)
            for _ in 0..<100 {
                if await sim.simulator.task(id: id)?.status == .done { break }
                let polls = sim.count("GET", "/v1/discovery_tasks/\(id)")
                try await waitUntil("watch polled twice", timeout: 30) { sim.count("GET", "/v1/discovery_tasks/\(id)") >= polls + 2 }
                sim.advance(15)
            }
            let run = try await shell.value
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stderr.contains("\r"))
            let progress = run.stderr.split(separator: "\n").filter { $0.contains("discovered ›") }
            #expect(progress.count >= 2)
            #expect(Set(progress).count == progress.count, "no line twice")
            #expect(run.stdout.contains("done: 5 of 5 results"))
        }
    }

    @Test func jsonOutputIsJSONLinesWhenNotATerminal() async throws {
        try await withRun { r in
            let run = try await r.shell(["--json"], input: "create \"json out\" --results 2\nstatus\ntasks\ntoken\n")
            #expect(run.status == 0)
            #expect(!run.stdout.contains("\u{1B}"))
            // One compact document a line: a file of it is read line by line (JSON Lines).
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.last == "")
            let documents = try lines.dropLast().map { try JSONParser.parse(String($0)) }
            #expect(documents.count == 4)
            #expect(documents[0]["status"] == "created")
            #expect(documents[2].arrayValue?.count == 1)
            #expect(documents[3]["token"] == "…77e2")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aRecordingReplaysTheSameRequestsOnNewTasks(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            let steps = [
                "record rec.exsh", "set poll_interval 0.05", "create \"recorded search\" --results 3", "watch", "results",
                "use $task", "status", "token \(SimulatorFixture.token)", "record stop",
            ]
            let first = try await r.shell(steps.flatMap { ["-c", $0] })
            #expect(first.status == 0, "\(first.stderr)")
            let recording = try #require(r.home.read("rec.exsh"))
            #expect(recording.contains("set task1 $task"))
            #expect(recording.contains("use ${task1}") || recording.contains("use $task"))
            #expect(recording.contains("token $EXTRUCT_API_TOKEN"))
            #expect(!recording.contains(SimulatorFixture.token))
            let firstRequests = r.sim.simulator.journal.entries.map { "\($0.method) \($0.path.contains("/v1/discovery_tasks/") ? "task" : $0.path)" }
            r.sim.simulator.journal.clear()
            let replay = try await r.shell(["rec.exsh"])
            #expect(replay.status == 0, "\(replay.stderr)")
            let replayed = r.sim.simulator.journal.entries.map { "\($0.method) \($0.path.contains("/v1/discovery_tasks/") ? "task" : $0.path)" }
            #expect(replayed.filter { !$0.hasPrefix("GET task") } == firstRequests.filter { !$0.hasPrefix("GET task") })
            #expect(r.sim.count("POST") == 1)
            let ids = Set(r.sim.simulator.journal.entries.compactMap { $0.path.split(separator: "/").dropFirst(2).first }.map(String.init))
            #expect(ids.count == 1, "the replay worked on its own new task")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aCassetteReplaysOfflineWithTheSameOutputAndNoToken(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            let script =
                "set poll_interval 0.05\ncreate \"cassette run\" --results 4\nwatch\nresults\nshow 1\ntry resume 300\nexpect num_results == 4\n"
            try r.home.write("c.exsh", script)
            let recorded = try await r.shell(["--record-http", "c.jsonl", "c.exsh"])
            #expect(recorded.status == 0, "\(recorded.stderr)")
            let cassette = try #require(r.home.read("c.jsonl"))
            #expect(!cassette.contains(SimulatorFixture.token))
            #expect(cassette.contains("\"Authorization\":\"Bearer …\""))
            #expect(r.home.mode("c.jsonl") == 0o600)
            let offline = try await runShell(
                ["--replay-http", "c.jsonl", "c.exsh"], home: r.home.path,
                extraEnvironment: ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9"], directory: r.home.path)
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(offline.stdout == recorded.stdout)
            // A different script does not match and says what was expected.
            let wrong = try await runShell(["--replay-http", "c.jsonl", "-c", "tasks"], home: r.home.path, directory: r.home.path)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("expected GET /v1/user (exchange 1 of"), "create read the credits left first: \(wrong.stderr)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aHundredCommandScriptKeepsItsConnections(_ scheme: Scheme) async throws {
        try await withRun(scheme: scheme) { r in
            let lines =
                ["create \"keep-alive\" --results 5"] + (0..<99).map { ["tasks --limit 2", "status", "results --limit 5", "use $task"][$0 % 4] }
            try r.home.write("hundred.exsh", lines.joined(separator: "\n") + "\n")
            let run = try await r.shell(["-q", "hundred.exsh"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(r.sim.simulator.journal.total == 101, "a request a command, and the credits left before create")
            // The first request opens the connections an export's pages would use, and they carry
            // everything, over http as over https.
            #expect(
                r.sim.simulator.journal.connections == DefaultTransport.connectionsAhead, "keep-alive connections for 100 requests over \(scheme)")
        }
    }

    @Test func helpAndVersionAndAMistakenCommandAsAScript() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let help = try await runShell(["--help"], home: home.path)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: extruct-shell") && help.stdout.contains("--replay-http"))
        let version = try await runShell(["--version"], home: home.path)
        #expect(version.status == 0 && version.stdout == ProductVersion.current + "\n")
        let mistaken = try await runShell(["status"], home: home.path)
        #expect(mistaken.status == 2)
        #expect(mistaken.stderr.contains("use -c 'status'"))
        let completion = try await runShell(["--generate-completion-script", "zsh"], home: home.path)
        #expect(completion.status == 0 && completion.stdout.contains("#compdef extruct-shell"))
    }

    @Test func theStayInteractiveFlagNeedsATerminalElseItEndsAfterPlayback() async throws {
        try await withRun { r in
            let run = try await r.shell(["-c", "echo once", "-i"])
            #expect(run.status == 0)
            #expect(run.stdout == "once\n")
        }
    }
}
