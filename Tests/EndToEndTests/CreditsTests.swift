import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// What the shell says after a create or resume that failed, so a user never pays twice and
/// never hesitates for nothing: not sent, answered, or sent with no answer.
@Suite struct CreditsTests {
    @Test(arguments: Scheme.allCases)
    func aRefusedConnectionSaysNothingWasSent(_ scheme: Scheme) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runShell(
            ["-c", "create \"nothing sent\" --results 5"], home: home.path,
            extraEnvironment: ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:1", "EXTRUCT_API_TOKEN": SimulatorFixture.token], directory: home.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("connection refused; nothing was sent, so it is safe to try again"), "\(run.stderr)")
        #expect(!run.stderr.contains("may have been created"), "\(run.stderr)")
    }

    @Test(arguments: Scheme.allCases)
    func aConnectionDroppedAfterTheRequestSaysToCheck(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            sim.simulator.faults.add(FaultRule(.reset, method: "POST", count: 1))
            let run = try await runShell(
                ["-c", "create \"dropped\" --results 5"], home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
            #expect(run.status == 1)
            #expect(run.stderr.contains("the task may have been created: check with tasks before trying again"), "\(run.stderr)")
            #expect(sim.count("POST") == 1)
        }
    }
}
