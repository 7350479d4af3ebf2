import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `resume max`, `resume N --watch` and `resume --until N` through the built binary, against the
/// simulator over http and https: each way the rounds stop, Ctrl-C on a pseudo-terminal, and a
/// recording of them played again.
@Suite struct ResumeUntilTests {
    /// A script played by the shell against a fast simulator on the wall clock.
    func play(_ script: String, on sim: SimulatorFixture, home: TemporaryDirectory) async throws -> ProcessResult {
        try await runShell(
            [], input: "set poll_interval 0.05\n" + script, home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
    }

    func withFastSimulator(_ scheme: Scheme, _ body: (SimulatorFixture, TemporaryDirectory) async throws -> Void) async throws {
        try await SimulatorFixture.with(speed: 300, scheme: scheme, configure: { $0.clock = WallClock() }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try await body(sim, home)
        }
    }

    /// Resume requests the simulator answered with `status`.
    func resumes(_ sim: SimulatorFixture, answered status: Int? = nil) -> Int {
        sim.simulator.journal.entries.filter { $0.method == "POST" && $0.path.hasSuffix("/resume") && (status == nil || $0.status == status) }.count
    }

    @Test(arguments: Scheme.allCases)
    func watchFollowsAndUntilGoesOnInRoundsToTheGoal(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            let run = try await play(
                """
                create "\(sim.query(atLeast: 1100, prefix: "until goal"))" --results 10
                watch
                resume 10 --watch
                expect status == done
                expect num_results == 20
                resume --until 120
                expect num_results == 120
                expect desired_num_results == 120
                """, on: sim, home: home)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains("target 10 → 20") }, "\(run.stdout)")
            #expect(lines.contains { $0.hasSuffix(" done: 20 of 20 results") }, "resume --watch ends as watch does:\n\(run.stdout)")
            #expect(lines.contains("round 1 · target 20 → 70 · 70 results (+50)"), "\(run.stdout)")
            #expect(lines.contains("round 2 · target 70 → 120 · 120 results (+50)"), "\(run.stdout)")
            #expect(lines.last?.hasSuffix(" has 120 results (asked for 120) after 2 rounds") == true, "\(run.stdout)")
            #expect(resumes(sim) == 3)
            #expect(!run.stderr.contains("error:"), "\(run.stderr)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func untilStopsWhenTheCandidatesRunOut(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            // A pool of at most 150 candidates holds about 50 high-fit companies: far from 200.
            let run = try await play(
                """
                create "\(sim.query(poolAtMost: 150, atLeast: 80, prefix: "until dry"))" --results 10
                watch
                resume --until 200
                expect is_exhausted == true
                expect num_results < 200
                """, on: sim, home: home)
            #expect(run.status == 0, "\(run.stderr)")
            let last = try #require(run.stdout.split(separator: "\n").last.map(String.init))
            #expect(
                last.firstMatch(
                    of:
                        #/^([0-9a-f]{8}) stopped at \d+ of 200 results after \d+ rounds?: exhausted, no more candidates; for more, create a new task with --exclude-task \1$/#
                ) != nil, "\(run.stdout)")
            #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix("round ") && $0.hasSuffix(" · exhausted") }, "\(run.stdout)")
            #expect(resumes(sim) >= 1)
            // Never resumed once exhausted: the API's 400 never came.
            #expect(resumes(sim, answered: 400) == 0)
        }
    }

    @Test(arguments: Scheme.allCases)
    func maxAsksForTheRoomAndTheCapStopsEverything(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            let run = try await play(
                """
                create "\(sim.query(atLeast: 1100, prefix: "to the cap"))" --results 100
                watch
                resume max
                expect desired_num_results == 250
                resume --until 250
                expect num_results == 250
                resume max
                resume --until 200
                resume --until max
                """, on: sim, home: home)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains("target 100 → 250 · up to 150 credits · ") && $0.contains(" · 0 more allowed") }, "\(run.stdout)")
            #expect(run.stdout.contains("has 250 results (asked for 250): no resume needed; it is at the 250 cap"), "\(run.stdout)")
            #expect(run.stdout.contains("is at the 250 cap (target 250): nothing sent"), "\(run.stdout)")
            #expect(run.stdout.contains("has 250 results (asked for 200): no resume needed"), "\(run.stdout)")
            // --until max is --until 250, as resume max is the room under the cap.
            #expect(run.stdout.components(separatedBy: "has 250 results (asked for 250): no resume needed").count == 3, "\(run.stdout)")
            // One resume: max; at the cap, nothing more was sent.
            #expect(resumes(sim) == 1)
        }
    }

    @Test func argumentErrorsNameTheRangeAsTypedAndSendNothing() async throws {
        try await withFastSimulator(.http) { sim, home in
            let cases: [(String, String)] = [
                ("resume max 5", "error: -c: resume max 5: takes one count, 0…250 or max (got 'max 5')"),
                ("resume --until 0", "error: -c: resume --until 0: --until takes 1…250 (got 0)"),
                ("resume --until 300", "error: -c: resume --until 300: --until takes 1…250 (got 300)"),
                ("resume 300", "error: -c: resume 300: takes 0…250 (got 300)"),
                ("resume lots", "error: -c: resume lots: takes a whole number, 0…250 or max, not 'lots'"),
                (
                    "resume 40 --until 100",
                    "error: -c: resume 40 --until 100: takes a count or --until, not both (got '40 --until 100'): --until 100 asks for what it needs in rounds"
                ),
                ("resume --until", "error: -c: resume --until: --until needs N"),
                ("resume --until most", "error: -c: resume --until most: --until takes a whole number or max, not 'most'"),
            ]
            for (line, expected) in cases {
                let run = try await runShell(
                    ["-c", line], home: home.path, extraEnvironment: sim.shellEnvironment.merging(["COLUMNS": "400"]) { $1 })
                #expect(run.status == 1, "\(line): \(run.stderr)")
                #expect(run.stderr.split(separator: "\n").map(String.init) == [expected], "\(line)")
            }
            #expect(sim.simulator.journal.total == 0)
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCStopsFollowingWithoutAnErrorAndSaysWhereItStopped(_ scheme: Scheme) async throws {
        // A manual clock: the task never moves, so the rounds are stopped by Ctrl-C alone.
        let sim = try await SimulatorFixture.start(scheme: scheme)
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let pty = try PseudoTerminal(Binaries.shell, ["--no-history"], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
        do {
            let task = try await sim.doneTask(results: 10)
            try await pty.waitForPrompt()
            var mark = try await pty.run("use \(task.id)")
            try await pty.waitForPrompt(after: mark)
            mark = try await pty.run("set poll_interval 0.05")
            try await pty.waitForPrompt(after: mark)
            for (line, said) in [
                ("resume --until 200", "stopped at 10 of 200 results in round 1; resume --until 200 goes on"),
                ("resume 5 --watch", "stopped watching"),
            ] {
                let sent = resumes(sim)
                mark = try await pty.run(line)
                try await pty.wait(for: "the resume", after: mark) { _ in resumes(sim) == sent + 1 }
                let polls = sim.count("GET", task.id)
                try await pty.wait(for: "polls", after: mark) { _ in sim.count("GET", task.id) > polls + 2 }
                pty.type("\u{03}")
                try await pty.wait(for: said, after: mark)
                try await pty.waitForPrompt(after: mark)
                let text = strippingEscapes(pty.text(since: mark))
                #expect(!text.contains("error:"), "\(text)")
                #expect(text.contains("[in_progress]> "), "the prompt shows what was seen:\n\(text)")
                #expect(resumes(sim) == sent + 1, "nothing more sent after Ctrl-C")
            }
            // What resume --watch set is known: the next resume starts from it (10 → 60 → 65 → 90).
            mark = try await pty.run("resume 25")
            try await pty.wait(for: "65 → 90", after: mark) { strippingEscapes($0).contains("65 → 90") }
            #expect(pty.exitStatus == nil)
        } catch {
            pty.terminate()
            await sim.stop()
            throw error
        }
        pty.terminate()
        await sim.stop()
    }

    @Test(arguments: Scheme.allCases)
    func aRecordingOfThemPlaysAgainOnANewTask(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            let steps = [
                "record rec.exsh", "set poll_interval 0.05", "create \"\(sim.query(atLeast: 1100, prefix: "recorded rounds"))\" --results 5",
                "resume 5 --watch", "resume --until 70", "resume max", "record stop",
            ]
            let first = try await runShell(
                steps.flatMap { ["-c", $0] }, home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(first.status == 0, "\(first.stderr)")
            let recording = try #require(home.read("rec.exsh"))
            for line in ["resume 5 --watch", "resume --until 70", "resume max"] { #expect(recording.contains(line + "\n"), "\(recording)") }
            let sent = resumes(sim)
            #expect(sent == 4, "5 --watch, two rounds (10 → 60 → 70), max")
            let replay = try await runShell(["rec.exsh"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(resumes(sim) == 2 * sent)
            func shape(_ text: String) -> [String] {
                text.split(separator: "\n").map { String($0).replacing(#/^[0-9a-f]{8} /#, with: "") }
            }
            #expect(
                shape(replay.stdout).filter { $0.hasPrefix("round ") || $0.hasPrefix("has ") }
                    == shape(first.stdout).filter { $0.hasPrefix("round ") || $0.hasPrefix("has ") })
            #expect(replay.stdout.contains("round 2 · target 60 → 70 · 70 results (+10)"), "\(replay.stdout)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aCassetteOfThemReplaysOfflineWithTheSameOutput(_ scheme: Scheme) async throws {
        try await withFastSimulator(scheme) { sim, home in
            try home.write(
                "rounds.exsh",
                """
                set poll_interval 0.05
                create "\(sim.query(atLeast: 1100, prefix: "cassette rounds"))" --results 5
                resume 5 --watch
                resume --until 70
                resume max
                expect desired_num_results == 250
                """)
            let recorded = try await runShell(
                ["--record-http", "rounds.jsonl", "rounds.exsh"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            #expect(recorded.stdout.contains(" has 70 results (asked for 70) after 2 rounds"), "\(recorded.stdout)")
            let offline = try await runShell(
                ["--replay-http", "rounds.jsonl", "rounds.exsh"], home: home.path,
                extraEnvironment: ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9"], directory: home.path)
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(offline.stdout == recorded.stdout)
        }
    }

    @Test(arguments: Scheme.allCases)
    func ctrlCInAScriptStopsTheRoundsAndThePlaybackWith130(_ scheme: Scheme) async throws {
        // A manual clock: the round never ends by itself.
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let task = try await sim.doneTask(results: 10)
            let path = try home.write("rounds.exsh", "use \(task.id)\nset poll_interval 0.05\nresume --until 200\necho never\n")
            let process = try ChildProcess(Binaries.shell, [path], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { close(process.stdin) }
            let output = PipeReader(FileHandle(fileDescriptor: process.stdout, closeOnDealloc: true))
            let errors = PipeReader(FileHandle(fileDescriptor: process.stderr, closeOnDealloc: true))
            try await waitUntil("round 1 followed", timeout: 30) { resumes(sim) == 1 && sim.count("GET", task.id) > 3 }
            kill(process.pid, SIGINT)
            try await waitUntil("the shell ended", timeout: 30) { process.hasEnded && output.isAtEnd && errors.isAtEnd }
            #expect(process.status == 130)
            #expect(!output.text.contains("never"))
            #expect(errors.text.hasSuffix("stopped at 10 of 200 results in round 1; resume --until 200 goes on\n"), "\(errors.text)")
            #expect(!errors.text.contains("error:"), "\(errors.text)")
            #expect(resumes(sim) == 1)
        }
    }
}
