/// `try COMMAND …`: runs a command whose failure is expected; the script goes on.
struct TryCommand: ShellCommand {
    static let spec = CommandSpec(
        "try", synopsis: "try COMMAND [ARGUMENTS…]",
        abstract: "Run a command that may fail: its error is shown, the script goes on, and error holds its HTTP status.",
        examples: ["use af181d0f", "try resume 25", "expect error == 400"],
        positionals: 1...10_000, positionalCompletion: .command)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        // The runner handles `try` before parsing, so the wrapped command's options stay its own.
        throw CommandFailure.usage("try: give a command to run")
    }
}
