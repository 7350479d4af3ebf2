import Foundation
import FuzzHarness
import Testing

/// Every input the fuzzer was seeded with or kept (scripts/fuzz), replayed: none may crash or
/// break a property the harness checks.
@Suite struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
        .path

    @Test func everyKeptInputReplaysCleanly() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count >= 12)
        for name in names {
            let data = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + name))
            FuzzHarness.run(Array(data))
        }
    }
}
