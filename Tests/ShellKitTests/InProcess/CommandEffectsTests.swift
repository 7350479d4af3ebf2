import DeepSearch
import Foundation
import TestSupport
import Testing

@testable import ShellKit

/// What a command changes besides the session (the recording, the exit request, the debug
/// switch) is applied with the session when it succeeds, and not at all when it fails.
@MainActor @Suite(.serialized) struct CommandEffectsTests {
    /// A command that asks for every change a command can make, then fails (`probe fail`) or not.
    struct ProbeCommand: ShellCommand {
        static let spec = CommandSpec(
            "probe", synopsis: "probe [fail] FILE", abstract: "Asks for every change.", examples: ["probe fail rec.exsh"],
            positionals: 1...2)

        static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
            let words = arguments.positionals.map(\.text)
            context.session.variables["probe"] = "ran"
            context.session.settings.debug = true
            let recorder = ScriptRecorder(path: words.last!, apiURL: context.session.apiURL, version: "test", date: Date(), redact: { $0 })
            context.effects.recording = .start(recorder)
            context.effects.exit = 3
            if words.first == "fail" { throw CommandFailure.usage("probe: failed after asking for every change") }
        }
    }

    static let registry = CommandRegistry(commands: CommandRegistry.standard.commands + [ProbeCommand.self])

    @Test func aCommandThatFailsChangesNothing() async throws {
        try await InProcessShell.with(registry: Self.registry) { shell in
            try await shell.setUp("use \(shell.done.id.prefix(8))")
            let before = shell.session
            let failed = await shell.run("probe fail \(shell.path("rec.exsh"))")
            #expect(failed.errorLines.count == 1)
            #expect(failed.errorLines.first?.hasSuffix(": failed after asking for every change") == true, "\(failed.errors)")
            #expect(shell.session == before)
            #expect(shell.exitRequest == nil, "exit was not asked for")
            #expect(shell.recorder == nil, "not recording")
            let status = await shell.run("status")
            #expect(!status.errors.contains("debug:"), "debug is off: \(status.errors)")
            await shell.run("echo after")
            #expect(!FileManager.default.fileExists(atPath: shell.path("rec.exsh")))
        }
    }

    @Test func aCommandThatSucceedsChangesAll() async throws {
        try await InProcessShell.with(registry: Self.registry) { shell in
            try await shell.setUp("use \(shell.done.id.prefix(8))")
            let outcome = await shell.run("probe \(shell.path("rec.exsh"))")
            #expect(outcome.status == 0, "\(outcome.errors)")
            #expect(shell.session.variables["probe"] == "ran")
            #expect(shell.exitRequest == 3)
            #expect(shell.recorder?.path == shell.path("rec.exsh"))
            let status = await shell.run("status")
            #expect(status.errors.contains("debug: "), "debug is on: \(status.errors)")
            await shell.run("echo recorded")
            let recording = try String(contentsOfFile: shell.path("rec.exsh"), encoding: .utf8)
            #expect(recording.contains("\nstatus\necho recorded\n"), "\(recording)")
        }
    }

    /// The debug switch is the session's: a shell that turns it on does not turn on another's
    /// (the command fuzzer and these tests run many shells in one process).
    @Test func debugLinesFollowTheShellsOwnSession() async throws {
        try await InProcessShell.with { debugging in
            try await InProcessShell.with { quiet in
                try await debugging.setUp("set debug on")
                let noisy = await debugging.run("status \(debugging.done.id.prefix(8))")
                #expect(noisy.errors.contains("debug: "), "\(noisy.errors)")
                let calm = await quiet.run("status \(quiet.done.id.prefix(8))")
                #expect(calm.status == 0)
                #expect(!calm.errors.contains("debug:"), "another shell's set debug on: \(calm.errors)")
            }
        }
    }

    /// `exit` asks to leave only when it succeeds; `record` starts and stops only when it does.
    @Test func exitAndRecordChangeTheShellOnlyWhenTheySucceed() async throws {
        try await InProcessShell.with { shell in
            await shell.run("exit 256")
            #expect(shell.exitRequest == nil)
            await shell.run("record \(shell.path("no/such/folder/rec.exsh"))")
            #expect(shell.recorder == nil)
            await shell.run("record \(shell.path("rec.exsh"))")
            let again = await shell.run("record \(shell.path("other.exsh"))")
            #expect(again.errorLines.count == 1)
            #expect(shell.recorder?.path == shell.path("rec.exsh"), "the first recording goes on")
            let stopped = await shell.run("record stop")
            #expect(stopped.output == "recorded 0 commands to \(shell.path("rec.exsh"))\n")
            #expect(shell.recorder == nil)
            await shell.run("exit 4")
            #expect(shell.exitRequest == 4)
        }
    }

    /// Inside `source`, a line's effects join the `source` command's: `exit` stops the script and
    /// then the shell, a recording started in the script is seen by its later lines (`record`,
    /// `record stop`).
    @Test func effectsOfASourcedScriptAreTheSourceCommands() async throws {
        try await InProcessShell.with { shell in
            let recording = shell.path("rec.exsh")
            try "record \(recording)\necho one\nrecord\nrecord stop\nexit 3\necho never\n".write(
                toFile: shell.path("f.exsh"), atomically: true, encoding: .utf8)
            let outcome = await shell.run("source \(shell.path("f.exsh"))")
            #expect(outcome.status == 0, "\(outcome.errors)")
            #expect(
                outcome.output == "one\nrecording to \(recording) (0 commands so far)\nrecorded 0 commands to \(recording)\n",
                "\(outcome.output)")
            #expect(shell.exitRequest == 3)
            #expect(shell.recorder == nil)
        }
    }

    /// A recording holds the `source` line, not the lines of the script too (played again, the
    /// recording would run them twice).
    @Test func aSourcedScriptIsRecordedAsItsSourceLine() async throws {
        try await InProcessShell.with { shell in
            try writeFile(shell.path("s.exsh"), "echo inner\n")
            try await shell.setUp("record \(shell.path("rec.exsh"))", "source \(shell.path("s.exsh"))", "record stop")
            let kept = try String(contentsOfFile: shell.path("rec.exsh"), encoding: .utf8)
            #expect(kept.hasSuffix("\nsource \(shell.path("s.exsh"))\n"), "\(kept)")
            #expect(!kept.contains("echo inner"), "\(kept)")
        }
    }

    /// A lesson's quiet commands are not written into the learner's recording.
    @Test func aPausedRecordingKeepsNothing() async throws {
        try await InProcessShell.with { shell in
            try await shell.setUp("record \(shell.path("rec.exsh"))")
            shell.shell.recordingPaused = true
            await shell.run("echo quiet")
            shell.shell.recordingPaused = false
            await shell.run("echo kept")
            let text = try String(contentsOfFile: shell.path("rec.exsh"), encoding: .utf8)
            #expect(text.contains("echo kept") && !text.contains("echo quiet"), "\(text)")
        }
    }
}
