import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// A first run, as a stranger makes it: no token, no `--demo`. The shell says how to start, in
/// its banner and at the top of `--help`, and refuses what needs the token before sending it.
@Suite(.serialized) struct FirstRunTests {
    static let ways = ["extruct-shell --tutorial", "extruct-shell --demo", "EXTRUCT_API_TOKEN="]

    @Test func helpLeadsWithTheWaysToStart() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let help = try await runShell(["--help"], home: home.path)
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(6).contains("To start:"), "\(help.stdout)")
        for (index, way) in Self.ways.enumerated() {
            #expect(lines.dropFirst(2).prefix(5).contains { $0.hasPrefix("  " + way) }, "line \(index): \(help.stdout)")
        }
        #expect(lines.allSatisfy { $0.count <= 80 }, "ArgumentParser wraps at 80: the lines are written to fit")
        #expect(!help.stdout.contains("(default 2;"), "a default said once")
    }

    @Test(arguments: Scheme.allCases)
    func withoutATokenNothingIsSentAndTheErrorSaysHowToStart(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_API_TOKEN"] = nil
            for line in ["create \"cold chain logistics\"", "tasks", "use 3f2a", "status 3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e"] {
                let run = try await runShell(["-c", line], home: home.path, extraEnvironment: environment)
                #expect(run.status == 1, "\(line): \(run.stderr)")
                #expect(run.stderr.contains("no API token"), "\(run.stderr)")
                #expect(run.stderr.contains("EXTRUCT_API_TOKEN") && run.stderr.contains("token --prompt") && run.stderr.contains("--demo"))
                #expect(run.stderr.split(separator: "\n").count == 1, "one error line")
            }
            #expect(sim.simulator.journal.total == 0, "nothing was sent")
            // A dry run shows what would be sent; it sends nothing, token or not.
            let dry = try await runShell(["--dry-run", "-c", "tasks"], home: home.path, extraEnvironment: environment)
            #expect(dry.status == 0 && dry.stdout.contains("GET "), "\(dry.stderr)")
        }
    }

    @Test func theBannerSaysHowToStartAndTheDemoNeedsNoToken() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_API_TOKEN"] = nil
            let pty = try PseudoTerminal(Binaries.shell, ["--no-history"], environment: testEnvironment(home: home.path, extra: environment))
            defer { pty.terminate() }
            try await pty.waitForPrompt()
            let banner = strippingEscapes(pty.screen)
            #expect(banner.contains("no token yet. To start:"), "\(banner)")
            for way in Self.ways { #expect(banner.contains("  " + way), "\(banner)") }
            let mark = try await pty.run("create \"cold chain logistics\"")
            try await pty.wait(for: "no API token", after: mark)
            try await pty.waitForPrompt(after: mark)
            #expect(sim.simulator.journal.total == 0)

            let demo = try PseudoTerminal(Binaries.shell, ["--demo", "--no-history"], environment: testEnvironment(home: home.path))
            defer { demo.terminate() }
            try await demo.waitForPrompt()
            #expect(!demo.screen.contains("To start:"))
            let listed = try await demo.run("tasks")
            try await demo.wait(for: "exhausted: no more candidates", after: listed)
        }
    }
}
