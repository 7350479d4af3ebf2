import DeepSearch

/// Ctrl-C while a command follows a task: no error. The shell prints `message` (dim, on standard
/// error) as the command's last line and the status is that of any interruption (130).
public struct StoppedFollowing: Error, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// Follows a task as `watch` does, for `watch`, `resume --watch` and `resume --until`: polls it
/// until it is done or failed (or the caller has enough), every state noted as seen; on a terminal
/// one live line redrawn in place, elsewhere (and in scripts) one line per change.
@MainActor
struct TaskFollower {
    let context: CommandContext
    /// Seconds between polls, and the most a follow waits for the end.
    let interval: Double
    let timeout: Double
    private let printer = WatchPrinter()

    init(_ context: CommandContext, interval: Double? = nil, timeout: Double? = nil) {
        self.context = context
        self.interval = interval ?? context.settings.pollInterval
        self.timeout = timeout ?? context.settings.watchTimeout
    }

    /// Follows task `id` until it ends or `enough` holds for a state. `line` lays a state out in
    /// a width and style. The live line stays on the screen when the follow ends, unless `clear`.
    /// Ctrl-C throws ``StoppedFollowing`` with what `stopped` says.
    func follow(
        _ id: String, until enough: @escaping @Sendable (DiscoveryTask) -> Bool = { _ in false }, clear: Bool = false,
        line: @escaping @Sendable (DiscoveryTask, Int, Style) -> String, stopped: () -> String
    ) async throws -> DeepSearchClient.Response<DiscoveryTask> {
        let console = context.console
        let live = console.supportsLiveLines && !context.environment.isPlayback
        let quiet = context.environment.options.quiet
        let style = context.errorStyle
        let printer = self.printer
        let context = self.context
        do {
            let response = try await context.client().watch(
                id: id, interval: .milliseconds(Int64(interval * 1000)), timeout: .milliseconds(Int64(timeout * 1000)),
                onUpdate: { update in
                    let task = update.value
                    await MainActor.run {
                        // What was seen stays seen when Ctrl-C stops the follow: the prompt shows the status.
                        context.observe(task)
                        guard !quiet else { return }
                        if live {
                            console.live { width in line(task, width, style) }
                        } else if printer.changed(task) {
                            console.err(line(task, console.terminalWidth - 1, style))
                        }
                    }
                }, until: enough)
            if clear { console.clearLiveLine() } else { console.endLiveLine() }
            return response
        } catch {
            console.endLiveLine()
            if error is CancellationError || Task.isCancelled { throw StoppedFollowing(stopped()) }
            throw error
        }
    }

    /// Follows task `id` to its end as `watch` does, keeps the last answer as the last response,
    /// and says how the task ended (or prints its JSON).
    func watch(_ id: String) async throws {
        let response = try await follow(
            id, line: { task, width, style in TaskCard.progressLine(task, width: width, style: style) }, stopped: { "stopped watching" })
        context.remember(response.raw, status: response.status)
        context.note(response.value)
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            context.console.out(Self.ending(response.value))
        }
    }

    /// What `watch` says when the task has ended: `done: 30 of 30 results`, or how it failed.
    static func ending(_ task: DiscoveryTask) -> String {
        let ending =
            task.status == .done
            ? "done: \(task.numResults) of \(task.desiredNumResults) results" + (task.isExhausted ? " (exhausted: no more candidates)" : "")
            : "\(task.status.rawValue) after \(task.numResults) results; resume 0 may restart it"
        return "\(DeepSearchClient.short(task.id)) \(ending)"
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

extension CommandContext {
    /// A line for people: on standard output, or on standard error when standard output is JSON;
    /// on a terminal broken at spaces to fit it, elsewhere whole.
    func tell(_ text: String) {
        if wantsJSON {
            progress(console.lines(text, onTerminal: console.errorIsTerminal).joined(separator: "\n"))
        } else {
            console.out(console.lines(text, onTerminal: console.outputIsTerminal).joined(separator: "\n"))
        }
    }
}
