/// `echo TEXT…`: prints its words, for scripts and demos.
struct EchoCommand: ShellCommand {
    static let spec = CommandSpec(
        "echo", synopsis: "echo [TEXT…]", abstract: "Print the words, joined by spaces (for scripts and demos).",
        examples: ["echo \"Step 2: read the results\"", "echo task $task has $last.num_results results"],
        positionals: 0...10_000)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        context.console.out(arguments.positionals.map(\.text).joined(separator: " "))
    }
}
