import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// The scripts shipped in scripts/ run green: against a simulator, and offline from the cassette.
@Suite struct ShippedScriptsTests {
    static let scripts = Binaries.packageRoot + "/scripts"

    @Test(arguments: ["onboarding.exsh", "resume-until-exhausted.exsh"])
    func playsGreenAgainstTheSimulator(_ name: String) async throws {
        try await SimulatorFixture.with(seed: 1, speed: 500, configure: { $0.clock = WallClock() }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let run = try await runShell(
                [Self.scripts + "/" + name], home: home.path,
                extraEnvironment: ["EXTRUCT_API_URL": sim.url, "EXTRUCT_API_TOKEN": SimulatorFixture.token], directory: home.path)
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(!run.stdout.contains(SimulatorFixture.token))
        }
    }

    @Test func theOnboardingCassetteReplaysOfflineTypedOut() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runShell(
            ["--replay-http", Self.scripts + "/onboarding.cassette.jsonl", "--typing", "0", Self.scripts + "/onboarding.exsh"],
            home: home.path, extraEnvironment: ["EXTRUCT_API_URL": "http://127.0.0.1:9"], directory: home.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.contains(
                "1. Start a task: describe the companies, ask for 20 results. Each high-fit result\n   spends a credit: create says the most it may spend and what is left.\nextruct> create \"vertical SaaS companies serving freight forwarding\" --results 20"
            ))
        #expect(!run.stdout.contains("pause"), "pause does nothing when no presenter is there")
        #expect(run.stdout.contains("done: 50 of 50 results"))
        // The cassette holds the account as it was: the credits line says what was left.
        #expect(run.stdout.contains(" target 20 · up to 20 credits · 2,500 left"), "\(run.stdout)")
        #expect(home.read("onboarding-results.csv")?.split(separator: "\r\n").count == 21)
    }
}
