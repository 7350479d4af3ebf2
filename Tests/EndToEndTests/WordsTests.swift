import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Errors in the user's words, through the binary: the command and flag as typed, the API's
/// refusals named by the flag they concern, each thing said once, hints that work when followed.
@Suite(.serialized) struct WordsTests {
    func shell(_ sim: SimulatorFixture, _ lines: [String], home: TemporaryDirectory) async throws -> ProcessResult {
        try await runShell(lines.flatMap { ["-c", $0] }, home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
    }

    @Test func valuesOutOfRangeAreToldAsTypedAndNothingIsSent() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let task = try #require(await sim.simulator.seedDemoTasks().first)
            for (line, said) in [
                ("resume 300", "resume 300: takes 0…250 (got 300)"),
                ("create \"cold chain\" --results 999", "--results takes 1…250 (got 999)"),
                ("resume many", "takes a whole number, 0…250 or max, not 'many'"),
                // Too long for a 64-bit number is still a number out of range.
                ("resume 99999999999999999999", "takes 0…250 (got 99999999999999999999)"),
                ("create \"cold chain\" --results -99999999999999999999", "--results takes 1…250 (got -99999999999999999999)"),
            ] {
                sim.simulator.journal.clear()
                let run = try await shell(sim, ["use \(task.id)", line], home: home)
                #expect(run.status == 1, "\(line)")
                #expect(run.stderr.contains(said), "\(line): \(run.stderr)")
                #expect(!run.stderr.contains("desired_"), "the API's field is not what was typed: \(run.stderr)")
                #expect(sim.count("POST") == 0)
            }
        }
    }

    @Test func theAPIsRefusalIsNamedByTheFlagItConcerns() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            // 21 criteria: the client has no limit, the API (the simulator) allows 20.
            let criteria = (1...21).flatMap { ["--criterion", "k\($0)", "Name \($0)", "A criterion long enough \($0)"] }
            let line = "create \"cold chain\" " + criteria.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
            let run = try await shell(sim, [line], home: home)
            #expect(run.status == 1)
            #expect(run.stderr.contains(": the API refused create --criterion: "), "\(run.stderr)")
            #expect(run.stderr.hasSuffix("(422)\n"), "\(run.stderr)")
            #expect(!run.stderr.contains("body →"), "\(run.stderr)")
        }
    }

    @Test func theCapIsSaidOnceAndShowSaysWhatThereIs() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let full = await sim.simulator.seed(
                CreateTaskRequest(query: sim.query(atLeast: 1000, prefix: "words cap"), desiredNumResults: 250), secondsAgo: 10 * 3600)
            let capped = try await shell(sim, ["use \(full.id)", "resume 10"], home: home)
            #expect(capped.status == 1)
            #expect(capped.stderr.components(separatedBy: "cap").count == 2, "said once: \(capped.stderr)")
            #expect(capped.stderr.contains("create a new task with --exclude-task \(full.id.prefix(8))"))

            let small = await sim.simulator.seed(
                CreateTaskRequest(query: sim.query(atLeast: 1000, prefix: "words small"), desiredNumResults: 30), secondsAgo: 10 * 3600)
            let beyond = try await shell(sim, ["use \(small.id)", "results --limit 10", "show 99"], home: home)
            #expect(beyond.stderr.contains("there is no result #99: task \(small.id.prefix(8)) has 30 high-fit results"), "\(beyond.stderr)")
            // A rank there is but not shown: the hint, followed, shows it.
            let hinted = try await shell(sim, ["use \(small.id)", "results --limit 10", "show 25"], home: home)
            let hint = try #require(hinted.stderr.firstMatch(of: /run (results --offset \d+) first/)?.output.1, "\(hinted.stderr)")
            let followed = try await shell(sim, ["use \(small.id)", "results --limit 10", String(hint), "show 25"], home: home)
            #expect(followed.status == 0, "\(followed.stderr)")
            #expect(followed.stdout.contains("#25  "))
        }
    }
}
