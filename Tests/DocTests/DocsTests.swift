import Foundation
import Testing

/// The docs are tests: every example of README.md, docs/ and extruct-sim(1) runs as printed or
/// is parsed by the programs' own parsers (scripts/test --docs). After an intended change of
/// what the programs print, `DOCS_UPDATE=1` (scripts/test --docs --update) rewrites the outputs
/// the docs show and says what it rewrote.
@Suite struct DocsTests {
    @Test @MainActor func everyExampleOfTheDocsRunsAsPrinted() async throws {
        let started = ContinuousClock.now
        let report = try await SharedReport.get()
        print(report.summary)
        print("docs: checked in \((ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
        for (example, outcome) in report.failures {
            let generated = report.documents.first { $0.name == example.document }?.generatedBy
            for problem in outcome.problems {
                let place = "\(example.document):\(example.line + (problem.line ?? 0))"
                let fix = generated.map { "\n(\(example.document) is written by `\($0)`: change the example in the code, then regenerate)" } ?? ""
                Issue.record("\(place): \(problem.message)\(fix)")
            }
        }
        // Every line of every example is checked: nothing but blank lines and comments is left.
        for (example, kind, outcome) in report.results where outcome.passed {
            for (index, line) in example.lines.enumerated() where !outcome.checked.contains(index) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                #expect(
                    trimmed.isEmpty || trimmed.hasPrefix("#"),
                    "\(example.document):\(example.line + index) (\(kind?.rawValue ?? "?")) was not checked: \(line)")
            }
        }
        let update = ProcessInfo.processInfo.environment["DOCS_UPDATE"].map { !$0.isEmpty && $0 != "0" } ?? false
        if update {
            for line in try DocsCheck.rewrite(report) { print("docs: " + line) }
        }
    }
}

/// One check of the docs per test process, for the tests that look at it from several sides.
@MainActor
enum SharedReport {
    private static var running: Task<DocsCheck.Report, any Error>?

    static func get() async throws -> DocsCheck.Report {
        if let running { return try await running.value }
        let task = Task { @MainActor in await DocsCheck.run(try await DocsCheck.documents()) }
        running = task
        return try await task.value
    }
}
