import DeepSearch
import POSIXSupport
import TestSupport
import Testing

@testable import ShellKit

/// Every command of the shell, run in the test process on a real `Shell` (an in-memory console,
/// the simulator over loopback HTTP): what it prints and changes, and a line it refuses with one
/// `error:` line and the session as it was.
@MainActor @Suite(.serialized) struct InProcessCommandTests {
    /// The registered commands' names (as `help` lists them, which `CommandRegistry.standard` decides).
    nonisolated static let names = [
        "create", "tasks", "use", "status", "resume", "collect", "chain", "results", "show", "watch", "export", "raw", "account", "doctor", "token",
        "set",
        "unset", "echo",
        "sleep", "pause", "expect", "try", "source", "record", "history", "clear", "tutorial", "help", "exit",
    ]

    @Test(arguments: names)
    func runsAndChangesWhatItShould(_ name: String) async throws {
        let command = try #require(CommandCase.all[name], "\(name) has no case in CommandCase.all")
        try await InProcessShell.with { shell in
            try await shell.setUp(lines: command.setUp(shell))
            let before = shell.session
            let outcome = await shell.run(command.line(shell))
            #expect(outcome.status == 0, "\(outcome.errors)")
            #expect(outcome.errorLines.isEmpty || name == "try", "\(outcome.errors)")
            try command.check(shell, outcome, before)
        }
    }

    @Test(arguments: names)
    func refusesBadInputAndKeepsTheSession(_ name: String) async throws {
        let command = try #require(CommandCase.all[name], "\(name) has no case in CommandCase.all")
        try await InProcessShell.with { shell in
            try await shell.setUp(lines: command.setUp(shell))
            let before = shell.session
            let outcome = await shell.run(command.bad(shell))
            #expect(outcome.status != 0)
            #expect(outcome.errorLines.count == 1, "one error line: \(outcome.errors)")
            #expect(outcome.errorLines.first?.hasPrefix("error: test:1: ") == true, "the line's place is named: \(outcome.errors)")
            #expect(outcome.errorLines.first?.contains(command.error) == true, "\(outcome.errors)")
            #expect(outcome.output.isEmpty, "\(outcome.output)")
            // A command that talks to the API keeps the failure's HTTP status (0: nothing was
            // answered) for `expect error == 400`; nothing else of the session changes.
            var expected = before
            if try #require(shell.shell.environment.registry.command(named: name)).spec.talksToAPI {
                (expected.lastHTTPStatus, expected.lastResponse) = (shell.session.lastHTTPStatus, shell.session.lastResponse)
            }
            #expect(shell.session == expected)
            #expect(shell.exitRequest == nil)
            #expect(shell.recorder == nil)
        }
    }

    @Test func everyCaseIsARegisteredCommand() {
        #expect(CommandRegistry.standard.commands.map { $0.spec.name } == Self.names, "a command was added: give it a case")
        #expect(Set(CommandCase.all.keys) == Set(Self.names))
    }
}

/// The same lines as people and programs get them: on a terminal 40 columns wide nothing a
/// command prints is wider (the terminal would wrap it), the live line's every frame included;
/// with JSON output, standard output holds only JSON documents, one a line.
@MainActor @Suite(.serialized) struct InProcessCommandOutputTests {
    @Test(arguments: InProcessCommandTests.names)
    func fitsATerminalOf40Columns(_ name: String) async throws {
        let command = try #require(CommandCase.all[name])
        try await InProcessShell.with(columns: 40, terminal: true) { shell in
            try await shell.setUp(lines: command.setUp(shell))
            let outcome = await shell.run(command.line(shell))
            #expect(outcome.status == 0, "\(outcome.errors)")
            // raw prints the API's JSON as it came; a path the user gave is shown whole.
            guard name != "raw" else { return }
            for line in (outcome.output + outcome.errors).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            where !line.contains(shell.folder.path) {
                let shown = Self.visible(String(line))
                #expect(TextWidth.of(shown) <= 40, "wider than 40 columns: \(shown)")
            }
        }
    }

    /// Commands that print JSON with `set output json`, and those that print nothing then.
    @Test(arguments: InProcessCommandTests.names)
    func printsOnlyJSONWithJSONOutput(_ name: String) async throws {
        let command = try #require(CommandCase.all[name])
        try await InProcessShell.with { shell in
            try await shell.setUp(lines: command.setUp(shell) + ["set output json"])
            let outcome = await shell.run(command.line(shell))
            #expect(outcome.status == 0, "\(outcome.errors)")
            // Text a command prints by design, whatever the output setting.
            guard !["echo", "source", "help", "tutorial", "record"].contains(name) else { return }
            for line in outcome.output.split(separator: "\n") {
                #expect((try? JSONParser.parse(Array(line.utf8))) != nil, "not JSON: \(line)")
            }
        }
    }

    /// `text` without its escape sequences (colour, the live line's erase).
    static func visible(_ text: String) -> String {
        text.replacing(/\u{1B}\[[0-9;?]*[A-Za-z]/, with: "").replacing("\r", with: "")
    }
}
