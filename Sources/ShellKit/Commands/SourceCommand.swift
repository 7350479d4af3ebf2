/// `source FILE`: plays a script inside this session.
struct SourceCommand: ShellCommand {
    static let spec = CommandSpec(
        "source", synopsis: "source FILE", abstract: "Play a script file inside this session (nesting allowed, cycles refused).",
        examples: ["source setup.exsh"], positionals: 1...1, positionalCompletion: .file)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        guard let play = context.environment.playFile else { throw CommandFailure.local("source is not available here") }
        try await play(arguments.positionals[0].text, context)
    }
}
