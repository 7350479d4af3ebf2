import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Hostile scripts and hostile API data: invalid UTF-8, NUL bytes, a 1 MiB line, 100,000
/// lines, deep nesting, terminal escapes inside API data.
@Suite struct HostileInputTests {
    func shell(_ arguments: [String], input: String = "", home: TemporaryDirectory, sim: SimulatorFixture? = nil) async throws -> ProcessResult {
        var env: [String: String] = [:]
        if let sim { env = ["EXTRUCT_API_URL": sim.url, "EXTRUCT_API_TOKEN": SimulatorFixture.token] }
        return try await runShell(arguments, input: input, home: home.path, extraEnvironment: env, directory: home.path, timeout: 120)
    }

    @Test func invalidUTF8AndNULBytesAreRefusedWithTheLine() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let invalid = try home.write("invalid.exsh", bytes: Array("echo ok\necho ".utf8) + [0xC3, 0x28] + [0x0A])
        let run = try await shell([invalid], home: home)
        #expect(run.status == 2)
        #expect(run.stderr.contains("invalid.exsh:2: line 2 is not valid UTF-8"))
        #expect(run.stdout.isEmpty, "nothing ran")
        let nul = try home.write("nul.exsh", bytes: Array("echo a\0b\n".utf8))
        #expect(try await shell([nul], home: home).status == 2)
        let piped = try await shell([], input: "echo a\0b\necho after\n", home: home)
        #expect(piped.status == 2)
        #expect(piped.stderr.contains("error: <stdin>:1: the line holds a NUL byte"))
        // Invalid UTF-8 on standard input is shown as U+FFFD, not a crash.
        let replaced = try await runProcess(
            Binaries.shell, [], input: Array("echo x".utf8) + [0xFF] + Array("y\n".utf8), environment: testEnvironment(home: home.path))
        #expect(replaced.status == 0)
        #expect(replaced.stdout == "x\u{FFFD}y\n")
    }

    /// Numbers at and past the ends of a 64-bit integer, typed by a person, never trap: the
    /// command shows its page or says what is wrong, and the next command runs.
    @Test(arguments: [
        "results --offset 9223372036854775807", "results --offset 9223372036854775806 --limit 9223372036854775807",
        "results --offset 9223372036854775808", "results --limit -9223372036854775808", "tasks --offset 9223372036854775807",
        "resume -9223372036854775808", "resume 9223372036854775807", "history 9223372036854775807", "show 9223372036854775807",
        "create x --results 9223372036854775807", "watch --interval 1e309", "watch --timeout nan", "sleep inf", "set timeout 1e309",
        "set page_size 9223372036854775808", "set width -9223372036854775808", "expect num_results > 1e309",
    ])
    func hugeNumbersTypedByAPersonNeverTrap(_ line: String) async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let task = try DiscoveryTask(json: try await RawHTTP(sim).post("/v1/discovery_tasks", #"{"query": "huge offsets"}"#).json())
            sim.advance(3600)
            let run = try await shell(["--continue-on-error", "-c", "use \(task.id)", "-c", line, "-c", "echo next"], home: home, sim: sim)
            #expect(run.status == 0 || run.status == 1 || run.status == 3, "\(line): \(run.status) \(run.stderr.suffix(500))")
            #expect(run.stderr.components(separatedBy: "error: ").count <= 2, "\(line): \(run.stderr)")
            #expect(run.stdout.hasSuffix("next\n"), "\(line): the next command ran: \(run.stderr.suffix(500))")
        }
    }

    /// The simulator refuses a speed that is not a finite positive number, as a usage error
    /// naming --speed (exit 64); the shell refuses such an EXTRUCT_DEMO_SPEED in one line.
    @Test(arguments: ["inf", "1e309", "nan", "0", "-1", "1e-300"])
    func aSpeedThatIsNotAFinitePositiveNumberIsRefused(_ speed: String) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let sim = try await runProcess(
            Binaries.simulator, ["--port", "0", "--speed=\(speed)"], environment: testEnvironment(home: home.path), timeout: 20)
        #expect(sim.status == 64, "extruct-sim --speed \(speed): \(sim.status) \(sim.stdout) \(sim.stderr)")
        #expect(sim.stderr.contains("--speed"))
        let demo = try await runShell(["--demo", "-c", "tasks"], home: home.path, extraEnvironment: ["EXTRUCT_DEMO_SPEED": speed])
        #expect(demo.status == 2, "EXTRUCT_DEMO_SPEED=\(speed): \(demo.status) \(demo.stderr)")
        #expect(demo.stderr.hasPrefix("error: EXTRUCT_DEMO_SPEED takes a number from 0.001 to 1000000"), "\(demo.stderr)")
        #expect(demo.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test func aOneMiBLineAndAHundredThousandLines() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let long = String(repeating: "x", count: 1 << 20)
        let big = try home.write("long.exsh", "echo \(long)\n")
        let run = try await shell([big], home: home)
        #expect(run.status == 0)
        #expect(run.stdout.count == (1 << 20) + 1)
        let many = try home.write("many.exsh", (0..<100_000).map { "set v \($0)" }.joined(separator: "\n") + "\necho $v\n")
        let manyRun = try await shell([many], home: home)
        #expect(manyRun.status == 0)
        #expect(manyRun.stdout == "99999\n")
    }

    @Test func aClosedOutputPipeEndsQuietly() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let script = try home.write("many.exsh", (0..<20_000).map { "echo line \($0)" }.joined(separator: "\n") + "\n")
        let run = try await runProcess(
            "/bin/bash", ["-c", "\"$0\" \"$1\" | head -n 2; exit ${PIPESTATUS[0]}", Binaries.shell, script],
            environment: testEnvironment(home: home.path))
        #expect(run.stdout == "line 0\nline 1\n")
        #expect(run.status == 0, "SIGPIPE is ignored and the shell stops quietly: \(run.stderr)")
        #expect(run.stderr.isEmpty)
    }

    @Test func deeplyNestedSourcesStopAtALimit() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        for i in 0..<100 { try home.write("n\(i).exsh", "source n\(i + 1).exsh\n") }
        try home.write("n100.exsh", "echo bottom\n")
        let run = try await shell(["n0.exsh"], home: home)
        #expect(run.status == 1)
        #expect(run.stderr.components(separatedBy: "error:").count == 2)
        // The source that went past the limit, by file and line, and the chain that led there.
        // The chain is told by its ends; the limit is not mistaken for a cycle.
        #expect(
            run.stderr
                == "error: n63.exsh:1 (sourced from n62.exsh ← n61.exsh ← … 60 more … ← n0.exsh): source n64.exsh: nests at most 64 scripts deep, and this would be the 65th (no cycle: every file differs)\n",
            "\(run.stderr)")
    }

    @Test func escapesInsideAPIDataAreShownHarmlessly() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let evil = "evil \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred\u{9B}1m"
            let body = JSONWriter.compact(.object(["query": .string(evil), "desired_num_results": 3]))
            let created = try DiscoveryTask(json: try await RawHTTP(sim.url).post("/v1/discovery_tasks", body).json())
            sim.advance(600)
            for arguments in [
                ["-c", "use \(created.id)", "-c", "status", "-c", "tasks", "-c", "results"],
                ["--json", "-c", "use \(created.id)", "-c", "status"],
            ] {
                let run = try await shell(arguments, home: home, sim: sim)
                #expect(run.status == 0, "\(run.stderr)")
                let bytes = run.stdout.unicodeScalars + run.stderr.unicodeScalars
                #expect(!bytes.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" }, "\(arguments)")
            }
            let text = try await shell(["-c", "use \(created.id)", "-c", "status"], home: home, sim: sim)
            // One mark per sequence: the title, the clear-screen, the colours.
            #expect(text.stdout.contains("evil ???red?"), "\(text.stdout)")
        }
    }
}
