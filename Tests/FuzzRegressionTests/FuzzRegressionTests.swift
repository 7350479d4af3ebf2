import Foundation
import FuzzHarness
import Testing

/// Every input the fuzzer was seeded with or ever found, replayed: none may crash.
@Suite struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus").path

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs.count >= 10)
    }

    @Test(arguments: inputs)
    func replaysWithoutACrash(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + name))
        FuzzHarness.run(Array(data))
    }
}
