import Foundation
import FuzzHarness
import Testing

/// Every input the fuzzer was seeded with or kept (scripts/fuzz), replayed: none may crash or
/// break a property the harness checks. And the command fuzzer's seeded form: a few thousand
/// command lines built from the commands' specs, the same on every run.
@Suite(.serialized) struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
        .path

    @Test func everyKeptInputReplaysCleanly() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count >= 12)
        for name in names {
            let bytes = Array(try #require(FileManager.default.contents(atPath: Self.corpus + "/" + name)))
            if FuzzHarness.isCommandInput(bytes) { await FuzzHarness.runCommands(bytes) } else { FuzzHarness.run(bytes) }
        }
    }

    /// The command fuzzer as a property test: nothing traps (a trap ends this process), every
    /// line ends in its output or one `error:` line, the token never shows, the next line runs.
    @Test @MainActor func commandLinesBuiltFromTheSpecsHoldTheirProperties() async throws {
        let fuzzer = try await CommandFuzzer()
        var choices = SeededChoices(seed: 0x5EED_0017)
        var problems: [String] = []
        var shell = try await fuzzer.startShell()
        for number in 0..<3000 where problems.count < 20 {
            // A fresh session now and then: settings and variables a line left do not pile up for ever.
            if number % 50 == 49 {
                let task = choices.pick(5)
                shell = try await fuzzer.startShell(task: task == 4 ? nil : task)
            }
            problems += await fuzzer.check(fuzzer.generator.line(&choices), on: shell)
        }
        await fuzzer.close()
        #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.joined(separator: "\n"))")
    }
}
