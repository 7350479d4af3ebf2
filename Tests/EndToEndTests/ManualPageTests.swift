import Foundation
import TestSupport
import Testing

/// The man pages come from the binaries they describe: every option the parser knows is in
/// them, they render without a warning, and docs/manual.md is the same page.
@Suite struct ManualPageTests {
    /// The long options ArgumentParser shows for `program`.
    func longOptions(_ program: String, home: String) async throws -> [String] {
        let dump = try await runProcess(program, ["--experimental-dump-help"], environment: testEnvironment(home: home))
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let arguments = ((json?["command"] as? [String: Any])?["arguments"] as? [[String: Any]]) ?? []
        return arguments.filter { $0["shouldDisplay"] as? Bool == true }.flatMap { argument in
            ((argument["names"] as? [[String: String]]) ?? []).filter { $0["kind"] == "long" }.compactMap { $0["name"] }
        }
    }

    @Test(arguments: [Binaries.shell, Binaries.simulator])
    func everyOptionIsInTheManPageAndItRendersWithoutWarnings(_ program: String) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let page = try await runProcess(program, ["--generate-manual", "roff"], environment: testEnvironment(home: home.path))
        #expect(page.status == 0, "\(page.stderr)")
        let options = try await longOptions(program, home: home.path)
        #expect(options.count > 10)
        for option in options {
            #expect(page.stdout.contains("\\fB\\-\\-\(option.replacing("-", with: "\\-"))\\fR"), "--\(option) is in the man page")
        }
        try home.write("page.1", page.stdout)
        let rendered = try await runProcess(
            "/usr/bin/env", ["man", "--warnings", "-E", "UTF-8", "-l", home.file("page.1")],
            environment: testEnvironment(home: home.path, extra: ["MANPAGER": "cat", "MANWIDTH": "80"]))
        #expect(rendered.status == 0 && rendered.stderr.isEmpty, "man warned: \(rendered.stderr)")
        #expect(rendered.stdout.contains("SYNOPSIS") && rendered.stdout.contains("OPTIONS"))
    }

    @Test func docsManualIsTheManPageInMarkdown() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let markdown = try await runProcess(Binaries.shell, ["--generate-manual", "markdown"], environment: testEnvironment(home: home.path))
        let docs = try String(contentsOfFile: Binaries.packageRoot + "/docs/manual.md", encoding: .utf8)
        #expect(
            docs == markdown.stdout,
            "docs/manual.md is out of date: run .build/debug/extruct-shell --generate-manual markdown > docs/manual.md")
    }
}
