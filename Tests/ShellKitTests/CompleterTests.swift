import Foundation
import LineEditing
import Testing

@testable import ShellKit

/// Completion candidates come from what the shell knows.
@Suite @MainActor struct CompleterTests {
    let completer = Completer(
        specs: CommandRegistry.standard.commands.map { $0.spec },
        taskIDs: ["77777777-cccc", "3f9b0000-bbbb", "3f2a8c1e-aaaa"], variables: ["query"])

    @Test func commands() {
        #expect(completer.complete("st").candidates == ["status"])
        #expect(completer.complete("re").candidates == ["record", "results", "resume"])
        #expect(completer.complete("").candidates.count == CommandRegistry.standard.names.count)
        #expect(completer.complete("qu").candidates == ["quit"])
    }

    @Test func optionsOfTheCommandOnly() {
        #expect(completer.complete("results --").candidates == ["--all", "--limit", "--offset"])
        #expect(completer.complete("results --all --").candidates == ["--limit", "--offset"])
        #expect(completer.complete("create q --criterion a b c --cr").candidates == ["--criterion"])
        #expect(completer.complete("try results --a").candidates == ["--all"])
    }

    /// A word a command takes once is not offered again after it (Tab Tab after resume max).
    @Test func aFinishedValueIsNotOfferedAgain() {
        #expect(completer.complete("resume ").candidates == ["max"])
        #expect(completer.complete("resume max ").candidates.isEmpty)
        #expect(completer.complete("resume --watch ").candidates == ["max"], "an option before it is no value")
        #expect(completer.complete("chain ").candidates == ["clear", "use"])
        #expect(completer.complete("chain use ").candidates.isEmpty)
        #expect(completer.complete("raw GET ").candidates.isEmpty)
        #expect(completer.complete("set confirm_above off ").candidates.isEmpty)
        #expect(completer.complete("create q --source web_search --source ").candidates.contains("linkedin"), "a repeated option's values still")
    }

    @Test func taskIDsSettingsValuesAndVariables() {
        #expect(completer.complete("use 3f").candidates == ["3f9b0000-bbbb", "3f2a8c1e-aaaa"])
        #expect(completer.complete("use 3f2").candidates == ["3f2a8c1e-aaaa"])
        #expect(completer.complete("create q --exclude-task 7").candidates == ["77777777-cccc"])
        #expect(completer.complete("set po").candidates == ["poll_interval"])
        #expect(completer.complete("set color ").candidates == ["auto", "on", "off"], "the values, not the names again")
        #expect(completer.complete("set output j").candidates == ["json"])
        #expect(completer.complete("set width ").candidates == ["auto"])
        #expect(completer.complete("set page_size ").candidates.isEmpty)
        #expect(completer.complete("unset col").candidates == ["color"])
        #expect(completer.complete("unset color ").candidates.isEmpty, "unset takes the name alone")
        #expect(completer.complete("export x --format j").candidates == ["json", "jsonl"])
        #expect(completer.complete("echo $q").candidates == ["$query"])
        #expect(completer.complete("help wa").candidates == ["watch"])
        #expect(completer.complete("results --limit ").candidates.isEmpty)
    }

    @Test func filePaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("complete-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/demo.exsh", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = completer.complete("source \(dir)/de")
        #expect(file.candidates == ["\(dir)/demo.exsh"])
        #expect(file.appendsSpace)
        let sub = completer.complete("record \(dir)/su")
        #expect(sub.candidates == ["\(dir)/sub/"])
        #expect(!sub.appendsSpace)
    }

    @Test func theCommonPrefixOfCandidates() {
        #expect(Completion(replacing: 0, candidates: ["results", "resume"]).commonPrefix == "resu")
        #expect(Completion(replacing: 0, candidates: []).commonPrefix == "")
    }
}
