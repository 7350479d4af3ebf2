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
        let interval = try arguments.seconds("--interval", in: 0.01...3600) ?? context.settings.pollInterval
        let timeout = try arguments.seconds("--timeout", in: 0.01...86_400) ?? context.settings.watchTimeout
        let console = context.console
        let live = console.supportsLiveLines && !context.environment.isPlayback
        let quiet = context.environment.options.quiet
        let style = context.errorStyle
        let printer = WatchPrinter()
        let response: DeepSearchClient.Response<DiscoveryTask>
        do {
            response = try await context.client().watch(
                id: id, interval: .milliseconds(Int64(interval * 1000)), timeout: .milliseconds(Int64(timeout * 1000))
            ) { update in
                let task = update.value
                await MainActor.run {
                    // What watch saw stays seen when Ctrl-C stops it: the prompt shows the status.
                    context.observe(task)
                    guard !quiet else { return }
                    if live {
                        console.live { width in TaskCard.progressLine(task, width: width, style: style) }
                    } else if printer.changed(task) {
                        console.err(TaskCard.progressLine(task, width: console.terminalWidth - 1, style: style))
                    }
                }
            }
        } catch {
            console.endLiveLine()
            throw error
        }
        console.endLiveLine()
        context.remember(response.raw, status: response.status)
        context.note(response.value)
        let task = response.value
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            let ending =
                task.status == .done
                ? "done: \(task.numResults) of \(task.desiredNumResults) results" + (task.isExhausted ? " (exhausted: no more candidates)" : "")
                : "\(task.status.rawValue) after \(task.numResults) results; resume 0 may restart it"
            context.console.out("\(DeepSearchClient.short(task.id)) \(ending)")
        }
    }
}

/// Remembers the last state printed, so a non-terminal gets one line per change.
@MainActor
final class WatchPrinter {
    private var last: DiscoveryTask?

    func changed(_ task: DiscoveryTask) -> Bool {
        defer { last = task }
        guard let last else { return true }
        return last.status != task.status || last.numResults != task.numResults || last.isExhausted != task.isExhausted
    }
}
