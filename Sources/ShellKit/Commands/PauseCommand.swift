/// `pause [TEXT]`: a presenter's stop in a demo script.
struct PauseCommand: ShellCommand {
    static let spec = CommandSpec(
        "pause", synopsis: "pause [TEXT…]", abstract: "In --step playback, show TEXT and wait for a key; elsewhere do nothing.",
        discussion: """
            For demo scripts: under --step on a terminal the presenter talks, then presses a key to go on (q stops the \
            playback). Played any other way the line does nothing, so the same script runs unattended in CI.
            """,
        examples: ["pause", "pause \"Questions so far?\""], positionals: 0...10_000, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        guard let presenter = context.environment.presenter else { return }
        let text = arguments.positionals.map(\.text).joined(separator: " ")
        let toStandardError = context.wantsJSON
        let style = toStandardError ? context.errorStyle : context.style
        if await !presenter.pause(style.dim(text), toStandardError: toStandardError) {
            context.console.err(context.errorStyle.dim("stopped at the pause"))
            throw AlreadyReported(status: ExitStatus.interrupted)
        }
    }
}
