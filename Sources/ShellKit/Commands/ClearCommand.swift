/// `clear`: clears the screen.
struct ClearCommand: ShellCommand {
    static let spec = CommandSpec(
        "clear", synopsis: "clear", abstract: "Clear the screen.", examples: ["clear"], isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        guard context.console.outputIsTerminal else { return }
        context.console.flush()
        context.console.errRaw("\u{1B}[H\u{1B}[2J")
    }
}
