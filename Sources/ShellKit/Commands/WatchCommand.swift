import DeepSearch

/// `watch`: follows the current task until it is done or failed.
struct WatchCommand: ShellCommand {
    static let spec = CommandSpec(
        "watch", synopsis: "watch [--interval S] [--timeout S]",
        abstract: "Follow the current task until it is done or failed (not on exhausted alone); Ctrl-C stops watching.",
        discussion: "On a terminal the progress line is redrawn in place; elsewhere (and in scripts) it prints one line per change.",
        examples: ["watch", "watch --interval 2 --timeout 600"],
        flags: [
            FlagSpec("--interval", "S", help: "seconds between polls (default: poll_interval, 5)"),
            FlagSpec("--timeout", "S", help: "give up after this many seconds (default: watch_timeout, 1200)"),
        ],
        talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id = try context.currentTask()
        let interval = try arguments.seconds("--interval", in: 0.01...3600)
        let timeout = try arguments.seconds("--timeout", in: 0.01...86_400)
        try await TaskFollower(context, interval: interval, timeout: timeout).watch(id)
    }
}
