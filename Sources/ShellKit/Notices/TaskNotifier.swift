import DeepSearch
import LineEditing

/// Notices at the interactive prompt when a task of the session ends: while the prompt waits,
/// the running tasks the user made, resumed or used are asked about quietly, and a line such as
/// `[f2dc2742 done · 50 of 50 results · 3 min]` appears above the line being typed, which stays
/// as it was. Never in playback, nor with a cassette or a dry run (their requests are the script's).
@MainActor
final class TaskNotifier {
    private var list = TaskWatchList(interval: TaskWatchList.minimumInterval)
    private let environment: ShellEnvironment

    init(environment: ShellEnvironment) {
        self.environment = environment
    }

    /// Whether this process may send requests of its own at the prompt: not with a cassette or
    /// a dry run, whose requests are the script's.
    var isAvailable: Bool {
        let options = environment.options
        return options.recordHTTP == nil && options.replayHTTP == nil && !options.dryRun && environment.transport.backgroundTransport() != nil
    }

    /// After a command: its current task is watched while it runs, dropped once seen ended.
    func saw(_ session: Session) {
        list.interval = max(.milliseconds(Int64(session.settings.pollInterval * 1000)), TaskWatchList.minimumInterval)
        guard let id = session.currentTask, let status = session.currentStatus else { return }
        list.saw(id, status: status, at: environment.clock.now)
    }

    /// Asks about each watched task when it is due until cancelled (the user pressed Enter);
    /// posts a notice for each that ended and hands it to `ended`, which returns the prompt as it
    /// should now read (the current task's status changed).
    func watch(_ session: Session, ended: (DiscoveryTask) -> @Sendable (Int) -> String) async {
        guard session.settings.notify, isAvailable, let background = environment.transport.backgroundTransport() else { return }
        var quiet = session
        quiet.settings.retries = 0
        // Its own connections, off the main thread: a poll in flight when Enter is pressed is
        // cancelled without holding up the command or spoiling the connection it uses. Never a
        // debug line: it would be written over the line being typed.
        let client = environment.client(for: quiet, through: background, quiet: true)
        let clock = environment.clock
        let style = Style(enabled: environment.console.colorOnError(session.settings))
        while !Task.isCancelled, let next = list.next {
            let now = clock.now
            if next.due > now {
                do { try await clock.sleep(for: next.due - now) } catch { return }
                continue
            }
            do {
                let response = try await client.task(id: next.id)
                if let end = list.answered(response.value, at: clock.now) {
                    let prompt = ended(end.task)
                    let notice = TaskWatchList.notice(end, width: EditLineReader.columns - 1, style: style)
                    EditLineReader.postNotice(notice, prompt: prompt)
                }
            } catch {
                if Task.isCancelled { return }
                if let failure = error as? DeepSearchError, [403, 404].contains(failure.status) {
                    list.drop(next.id)
                } else {
                    list.failed(next.id, at: clock.now)
                }
            }
        }
    }
}
