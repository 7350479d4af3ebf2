import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--cast FILE`: asciicast v2 recordings of playback and of the interactive shell, through the
/// built binary on a real pseudo-terminal, read back as JSON and played by asciinema itself.
@Suite(.serialized) struct CastTests {
    struct Cast {
        var header: [String: Any]
        /// (seconds, text) of each output event.
        var events: [(Double, String)]
        var output: String { events.map(\.1).joined() }
    }

    /// Parses `path` as asciicast v2: a header object, then `[time, "o", text]` lines.
    static func read(_ path: String) throws -> Cast {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "the file ends with a newline")
        lines.removeLast()
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines.removeFirst().utf8)) as? [String: Any])
        var events: [(Double, String)] = []
        for line in lines {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "\(line)")
            try #require(event.count == 3)
            #expect(event[1] as? String == "o")
            events.append((try #require(event[0] as? Double), try #require(event[2] as? String)))
        }
        return Cast(header: header, events: events)
    }

    @Test func playbackIsRecordedAsShownWithTypingTimeAndCappedPauses() async throws {
        try await SimulatorFixture.with { sim in
            await sim.simulator.seedDemoTasks()
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let script = try home.write(
                "demo.exsh",
                """
                #: The tasks, typed out.
                tasks
                sleep 1
                echo héllo wörld
                token
                """)
            let castPath = home.file("demo.cast")
            let env = testEnvironment(home: home.path, extra: sim.shellEnvironment)
            let pty = try PseudoTerminal(
                Binaries.shell, ["--typing", "20", "--cast", castPath, "--cast-idle-limit", "0.3", script], environment: env, columns: 90, rows: 20)
            defer { pty.terminate() }
            #expect(try await pty.waitForExit() == 0)

            let cast = try Self.read(castPath)
            #expect(cast.header["version"] as? Int == 2)
            #expect(cast.header["width"] as? Int == 90)
            #expect(cast.header["height"] as? Int == 20)
            #expect((cast.header["env"] as? [String: String])?["TERM"] == "xterm-256color")
            let timestamp = try #require(cast.header["timestamp"] as? Int)
            #expect(abs(timestamp - Int(Date().timeIntervalSince1970)) < 600)
            #expect(cast.output == pty.screen, "the cast shows exactly what the terminal showed")
            #expect(cast.output.contains("extruct> tasks\r\n"))
            #expect(!cast.output.contains(SimulatorFixture.token))
            #expect(home.mode("demo.cast") == 0o600)

            // Typed key by key, with the time between keys kept; the sleep of 1 s cut to 0.3 s.
            let typed = cast.events.drop { $0.1 != "t" }.prefix(5)
            #expect(typed.map(\.1).joined() == "tasks")
            let times = cast.events.map(\.0)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
            let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
            #expect(gaps.max()! <= 0.3 + 1e-6)
            #expect(gaps.max()! >= 0.29, "the sleep shows as the longest pause, capped")
            #expect(typed.last!.0 - typed.first!.0 >= 0.06, "keys 20 ms apart")
        }
    }

    @Test func theInteractiveShellIsRecordedWithoutATokenTypedAtThePrompt() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let castPath = home.file("session.cast")
            let secret = "sk_live_SECRETSECRET98765"
            let env = testEnvironment(home: home.path, extra: sim.shellEnvironment)
            let pty = try PseudoTerminal(Binaries.shell, ["--no-history", "--cast", castPath], environment: env)
            defer { pty.terminate() }
            try await pty.run("echo one")
            try await pty.run("token \(secret)")
            try await pty.run("echo héllo")
            let mark = try await pty.run("")
            try await pty.waitForPrompt(after: mark)
            pty.type("tok\(secret.prefix(12))\u{03}")
            try await pty.wait(for: "^C", after: mark)
            try await pty.waitForPrompt(after: mark + 1)
            pty.type("\u{04}")
            #expect(try await pty.waitForExit() == 0)

            let cast = try Self.read(castPath)
            #expect(!cast.output.contains(secret))
            #expect(!cast.output.contains(secret.prefix(12)))
            #expect(!cast.output.contains(SimulatorFixture.token))
            #expect(cast.output.contains("extruct> token …\r\n"))
            #expect(cast.output.contains("extruct> echo héllo\r\n"))
            #expect(cast.output.contains("extruct> ^C\r\r\n"), "as libedit's ^C\\r\\n shows on a terminal")
            // Everything else is as the terminal showed it.
            let screen = pty.screen.replacing("token \(secret)", with: "token …").replacing("tok\(secret.prefix(12))^C", with: "^C")
            #expect(cast.output == screen)
            #expect(home.mode("session.cast") == 0o600)
        }
    }

    /// asciinema, a player no one here wrote, reads the file and prints the session.
    @Test func asciinemaPlaysTheRecording() async throws {
        let asciinema = try #require(
            ["/usr/bin/asciinema", "/usr/local/bin/asciinema"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "asciinema is not installed: scripts/test installs it (apt-get install asciinema)")
        try await SimulatorFixture.with { sim in
            await sim.simulator.seedDemoTasks()
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let castPath = home.file("demo.cast")
            let env = testEnvironment(home: home.path, extra: sim.shellEnvironment)
            let run = try await runShell(
                ["--cast", castPath, "--echo", "-c", "tasks", "-c", "echo played back"], home: home.path, extraEnvironment: sim.shellEnvironment)
            #expect(run.status == 0, "\(run.stderr)")
            // asciinema cat needs a terminal of its own.
            let player = try PseudoTerminal(asciinema, ["cat", castPath], environment: env)
            defer { player.terminate() }
            #expect(try await player.waitForExit() == 0, "\(player.screen)")
            #expect(player.screen.contains("extruct> tasks\r\n"))
            #expect(player.screen.contains("exhausted: no more candidates\r\n"))
            #expect(player.screen.hasSuffix("played back\r\n"))
        }
    }

    @Test func aCastThatCannotBeWrittenIsAUsageErrorBeforeAnythingRuns() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runShell(["--cast", home.path + "/no/such/dir/x.cast", "-c", "echo ran"], home: home.path)
        #expect(run.status == 2)
        #expect(run.stderr == "error: cannot write the cast \(home.path)/no/such/dir/x.cast: No such file or directory\n")
        #expect(run.stdout.isEmpty)
        let badLimit = try await runShell(["--cast-idle-limit", "-1", "-c", "echo ran"], home: home.path)
        #expect(badLimit.status == 2)
    }
}
