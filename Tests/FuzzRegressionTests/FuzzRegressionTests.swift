import Foundation
import FuzzHarness
import TestSupport
import Testing

/// Every input the fuzzer was seeded with or kept (scripts/fuzz), replayed: none may crash or
/// break a property the harness checks. And the command fuzzer's seeded form: thousands of
/// command lines built from the commands' specs, the same on every run. Command lines run in
/// `extruct-fuzz`, a process of its own that works in a directory of its own (a line may write
/// any file name) and whose trap is reported here, not the end of the test run.
@Suite struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
        .path

    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: corpus).filter { !$0.hasPrefix(".") }.sorted().map {
            ($0, Array(try #require(FileManager.default.contents(atPath: corpus + "/" + $0))))
        }
    }

    @Test func everyKeptInputReplaysCleanly() async throws {
        let inputs = try Self.inputs()
        #expect(inputs.count >= 12)
        for input in inputs where !FuzzHarness.isCommandInput(input.bytes) { FuzzHarness.run(input.bytes) }
        let commands = inputs.filter { FuzzHarness.isCommandInput($0.bytes) }.map { Self.corpus + "/" + $0.name }
        #expect(!commands.isEmpty)
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runProcess(Binaries.fuzzer, commands, environment: testEnvironment(home: home.path), directory: home.path, timeout: 600)
        #expect(run.status == 0, "\(run.stdout.suffix(2000))\n\(run.stderr.suffix(3000))")
        #expect(run.stdout.contains("\(commands.count) inputs replayed"))
    }

    /// The command fuzzer as a property test: nothing traps, every line ends in its output or
    /// one `error:` line, the token never shows, the next line runs.
    @Test func commandLinesBuiltFromTheSpecsHoldTheirProperties() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runProcess(
            Binaries.fuzzer, ["--property", "\(0x5EED_0017)", "3000"], environment: testEnvironment(home: home.path), directory: home.path,
            timeout: 600)
        #expect(run.status == 0, "\(run.stdout.suffix(4000))\n\(run.stderr.suffix(3000))")
        #expect(run.stdout.hasPrefix("3000 lines from seed \(0x5EED_0017), 0 problems"))
    }
}
