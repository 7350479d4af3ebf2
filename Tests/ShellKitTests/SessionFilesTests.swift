import DeepSearch
import Foundation
import LineEditing
import Testing

@testable import ShellKit

/// Settings, the token mask, the config file, the history file and the script format.
@Suite struct SessionFilesTests {
    @Test func settingsTakeOnlyTheirValues() throws {
        var s = Settings()
        try s.set("output", to: "JSON")
        try s.set("page_size", to: "25")
        try s.set("poll_interval", to: "0.5")
        try s.set("width", to: "auto")
        #expect(s.output == .json && s.pageSize == 25 && s.pollInterval == 0.5 && s.width == nil)
        #expect(throws: CommandFailure.self) { try s.set("page_size", to: "251") }
        #expect(throws: CommandFailure.self) { try s.set("color", to: "purple") }
        let reset = s.reset("page_size")
        #expect(reset && s.pageSize == 50)
        let unknown = s.reset("nope")
        #expect(!unknown)
    }

    @Test @MainActor func tokensAreMaskedAndRedacted() {
        #expect(TokenMask.mask("abcdefghijkl1234") == "…1234")
        #expect(TokenMask.mask("short") == "…")
        #expect(TokenMask.mask(nil) == "(none)")
        #expect(Secrets.redact("url?t=sekret-123 and sekret-123", "sekret-123") == "url?t=… and …")
    }

    @Test func theConfigFileHasProfilesAndRefusesLooseModes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.toml"
        let text = ConfigFileTests.documentedExample
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        let config = try #require(try ConfigFile.load(path: path))
        #expect(try config.profile(nil)?.name == "work")
        #expect(try config.profile(nil)?.profile.token == "tok-work-123456789")
        #expect(try config.profile("local")?.profile.apiURL == "http://127.0.0.1:8080")
        #expect(throws: ConfigFile.Problem.self) { try config.profile("missing") }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try ConfigFile.load(path: path)
            Issue.record("a readable token file was accepted")
        } catch {
            #expect(error.description.contains("chmod 600"))
            #expect(!error.description.contains("tok-work"))
        }
        #expect(try ConfigFile.load(path: dir + "/none.toml") == nil)
    }

    @Test func theScriptFormat() throws {
        let bytes: [UInt8] =
            [0xEF, 0xBB, 0xBF]
            + Array("#!/usr/bin/env extruct-shell\r\n\r\n# comment\r\necho one \\\r\n  two\r\n   # indented comment\r\necho three\n".utf8)
        let lines = try ScriptSource.lines(bytes)
        #expect(lines == [ScriptLine(number: 4, text: "echo one   two"), ScriptLine(number: 7, text: "echo three")])
        #expect(throws: ScriptSource.Unreadable.self) { try ScriptSource.lines([0x65, 0x63, 0xFF, 0x0A]) }
        #expect(throws: ScriptSource.Unreadable.self) { try ScriptSource.lines(Array("echo a\u{0}b\n".utf8)) }
        #expect(try ScriptSource.lines(Array("echo a\\\\\necho b".utf8)).count == 2, "an escaped backslash does not continue")
        #expect(try ScriptSource.lines(Array("echo last \\".utf8)) == [ScriptLine(number: 1, text: "echo last ")])
        // `#:` is narration, kept with its line; a comment never continues onto the next line.
        #expect(
            try ScriptSource.lines(Array("#: Say this.\n  #:no space\n# not this \\\necho run\n".utf8)) == [
                ScriptLine(number: 1, text: "Say this.", kind: .narration), ScriptLine(number: 2, text: "no space", kind: .narration),
                ScriptLine(number: 4, text: "echo run"),
            ])
    }

    @Test func historyLinesAreEscapedOneCommandPerLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hist-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = HistoryFile(path: dir + "/state/history")
        try file.prepare()
        try file.append(#"echo a\ b"#)
        try file.append("echo two\nlines")
        #expect(file.load() == [#"echo a\ b"#, "echo two\nlines"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test @MainActor func recordingsReplaceCreatedTaskIDsAndTheToken() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let redaction = LineRedaction(registry: .standard)
        var secrets: Set<String> = ["sekret-token-1234"]
        let recorder = ScriptRecorder(
            path: dir + "/s.exsh", apiURL: "http://127.0.0.1:1", version: "t", date: Date(timeIntervalSince1970: 0),
            redact: { redaction.redact($0, secrets: secrets, replacement: "$EXTRUCT_API_TOKEN") })
        recorder.record("try   token   'sekret-token-1234'", command: "token", createdTask: nil)
        recorder.record("create \"ai startups\"", command: "create", createdTask: "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e")
        recorder.record("use 3f2a8c1e", command: "use", createdTask: nil)
        recorder.record(
            "create more --exclude-task 3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e", command: "create", createdTask: "99999999-0000-4000-8000-000000000000")
        recorder.record("raw GET /x?token=sekret-token-1234", command: "raw", createdTask: nil)
        // A value that becomes the token only later leaves the recording at the next save.
        recorder.record("set later learned-later-5678", command: "set", createdTask: nil)
        secrets.insert("learned-later-5678")
        try recorder.save()
        let text = String(decoding: FileManager.default.contents(atPath: dir + "/s.exsh")!, as: UTF8.self)
        #expect(text.hasPrefix("#!/usr/bin/env extruct-shell\n# Recorded with extruct-shell t on 1970-01-01 00:00 UTC against http://127.0.0.1:1"))
        #expect(
            text.hasSuffix(
                """
                try   token   $EXTRUCT_API_TOKEN
                create "ai startups"
                set task1 $task
                use ${task1}
                create more --exclude-task ${task1}
                set task2 $task
                raw GET /x?token=$EXTRUCT_API_TOKEN
                set later $EXTRUCT_API_TOKEN

                """))
        #expect(!text.contains("sekret") && !text.contains("learned-later"))
    }
}
