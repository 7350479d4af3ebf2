import DeepSearch

/// `sleep SECONDS`: pauses a demo.
struct SleepCommand: ShellCommand {
    static let spec = CommandSpec(
        "sleep", synopsis: "sleep SECONDS", abstract: "Wait a while (for paced demos); Ctrl-C stops it.",
        examples: ["sleep 2", "sleep 0.5"], positionals: 1...1)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let text = arguments.positionals[0].text
        guard let seconds = Double(text), seconds.isFinite, (0...3600).contains(seconds) else {
            throw CommandFailure.usage("sleep takes seconds between 0 and 3600, not '\(text)'")
        }
        if context.environment.options.dryRun { return }
        try await context.environment.clock.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }
}
