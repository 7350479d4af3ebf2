/// `exit [STATUS]`: leaves the shell.
struct ExitCommand: ShellCommand {
    static let spec = CommandSpec(
        "exit", aliases: ["quit"], synopsis: "exit [STATUS]", abstract: "Leave the shell (Ctrl-D does too).",
        examples: ["exit", "quit", "exit 3"], positionals: 0...1, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let status =
            try arguments.positionals.first.map { word throws(CommandFailure) in try Arguments.int(word.text, what: "exit", in: 0...255) } ?? 0
        context.effects.exit = Int32(status)
    }
}
