import Testing

@testable import ShellKit

/// Options and arguments of a command line.
@Suite @MainActor struct CommandSpecTests {
    func parse(_ spec: CommandSpec, _ text: String) throws -> Arguments {
        try spec.parse(WordSplitter.split(text, resolve: { _ in nil }))
    }

    @Test func parsesOptionsWithOneAndThreeValuesAndRepeats() throws {
        let a = try parse(
            CreateCommand.spec,
            #"ai startups --results 40 --criterion b2b "B2B" "Sells to businesses" --source maps --source=linkedin --exclude-task abc"#)
        #expect(a.positionals.map(\.text) == ["ai", "startups"])
        #expect(a.value("--results") == "40")
        #expect(a.values["--criterion"] == [["b2b", "B2B", "Sells to businesses"]])
        #expect(a.all("--source") == ["maps", "linkedin"])
        #expect(a.all("--exclude-task") == ["abc"])
    }

    @Test func quotedWordsAndWordsAfterDoubleDashAreNeverOptions() throws {
        let a = try parse(CreateCommand.spec, #"q "--results" -- --source"#)
        #expect(a.positionals.map(\.text) == ["q", "--results", "--source"])
    }

    @Test(arguments: [
        ("results", "--limit", "results: --limit needs N"),
        ("use", "", "use: missing argument; usage: use ID"),
        ("status", "a b", "status: unexpected argument 'b'; usage: status [ID]"),
        ("results", "--all --all", "results: --all given twice"),
        ("create", "q --bogus", "create: unknown option --bogus; it takes --results, --criterion, --source, --exclude, --exclude-task (help create)"),
    ])
    func refusesWithAMessageThatHelps(_ command: String, _ line: String, _ message: String) throws {
        let spec = try #require(CommandRegistry.standard.command(named: command)).spec
        // Nothing thrown is a failure too: the check holds only if parse refuses.
        #expect {
            _ = try parse(spec, line)
        } throws: { error in
            (error as? CommandFailure)?.message == message
        }
    }

    @Test func aRedirectionOrAJSONOptionSaysWhatToDoInstead() {
        // The refusal's message; a parse that succeeds, or fails otherwise, is an issue.
        func message(_ spec: CommandSpec, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
            let error = #expect(throws: CommandFailure.self, sourceLocation: sourceLocation) { _ = try parse(spec, text) }
            return error?.message
        }
        #expect(
            message(ResultsCommand.spec, "--all > all.json")
                == "results: the shell has no > redirection; export FILE writes every result to a file (csv, json or jsonl), and extruct-shell -c 'results …' --json > FILE does it from your shell"
        )
        #expect(message(StatusCommand.spec, "f2dc2742 >out")?.hasPrefix("status: the shell has no > redirection") == true)
        #expect(
            message(ResultsCommand.spec, "--all --json")
                == "results: unknown option --json; it takes --offset, --limit, --all (help results); for JSON, set output json first (or start the shell with --json)"
        )
        // A quoted '>' is an argument like any other, and a query may hold one.
        #expect(message(StatusCommand.spec, "f2dc2742 '>'") == "status: unexpected argument '>'; usage: status [ID]")
        #expect(throws: Never.self) { _ = try parse(CreateCommand.spec, "revenue > 10M") }
    }

    @Test func everyCommandHasHelpWithAnExample() {
        for command in CommandRegistry.standard.commands {
            let spec = command.spec
            #expect(!spec.abstract.isEmpty, "\(spec.name)")
            #expect(!spec.examples.isEmpty, "\(spec.name) has an example")
            let names = [spec.name] + spec.aliases
            // Other commands may set the scene (results before show), as the docs run them in order.
            #expect(spec.examples.contains { example in names.contains { example.hasPrefix($0 + " ") || example == $0 } }, "\(spec.name)")
        }
        #expect(CommandRegistry.standard.suggestion(for: "staus") == "status")
        #expect(CommandRegistry.standard.suggestion(for: "zzzzzz") == nil)
        #expect(CommandRegistry.standard.suggestion(for: "res") == "resume or results")
        #expect(CommandRegistry.standard.suggestion(for: "s") == "status, show, set, sleep or source")
        #expect(CommandRegistry.standard.suggestion(for: "expor") == "export")
    }
}
