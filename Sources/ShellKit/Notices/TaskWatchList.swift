import DeepSearch

/// The running tasks of an interactive session (made, resumed or used at its prompt) and when
/// each is next asked about: at the poll interval, never more often than once in 5 s a task, and
/// later and later while the API answers with errors. Pure bookkeeping: the clock is a parameter.
struct TaskWatchList: Sendable {
    struct Watch: Sendable, Equatable {
        /// When the session saw the task start running (what the notice counts from).
        var since: Duration
        /// When to ask next.
        var due: Duration
    }

    /// A task that ended while watched: what its notice says.
    struct Ended: Sendable, Equatable {
        var task: DiscoveryTask
        var took: Duration
    }

    /// The shortest time between two requests about one task.
    static let minimumInterval: Duration = .seconds(5)
    /// The longest pause after errors.
    static let longestBackoff: Duration = .seconds(300)

    private(set) var watches: [String: Watch] = [:]
    /// Seconds between polls (the `poll_interval` setting); 5 s at least.
    var interval: Duration
    /// Errors in a row; while there are any, every task waits.
    private(set) var failures = 0
    private var pausedUntil: Duration = .zero

    init(interval: Duration) {
        self.interval = max(interval, Self.minimumInterval)
    }

    /// After a command whose current task is `id`, last seen with `status`: a task that has not
    /// ended (done or failed) is watched, first asked about an interval from now; one seen ended
    /// is dropped, since the user saw it end.
    mutating func saw(_ id: String, status: TaskStatus, at now: Duration) {
        if status.isTerminal {
            watches[id] = nil
        } else if watches[id] == nil {
            watches[id] = Watch(since: now, due: now + interval)
        }
    }

    /// The task to ask about next and when, if any.
    var next: (id: String, due: Duration)? {
        guard let (id, watch) = watches.min(by: { $0.value.due < $1.value.due }) else { return nil }
        return (id, max(watch.due, pausedUntil))
    }

    /// The API answered about `task`: the end, if it ended (the task is dropped then).
    mutating func answered(_ task: DiscoveryTask, at now: Duration) -> Ended? {
        failures = 0
        pausedUntil = .zero
        guard let watch = watches[task.id] else { return nil }
        if !task.status.isTerminal {
            watches[task.id]?.due = now + interval
            return nil
        }
        watches[task.id] = nil
        return Ended(task: task, took: now - watch.since)
    }

    /// Asking about `id` failed: every task waits, twice as long after each error in a row.
    mutating func failed(_ id: String, at now: Duration) {
        failures += 1
        let wait = min(interval * (1 << min(failures, 8)), Self.longestBackoff)
        pausedUntil = now + wait
        watches[id]?.due = now + wait
    }

    /// The task is gone (404) or not ours to see: it is no longer asked about.
    mutating func drop(_ id: String) {
        watches[id] = nil
    }

    /// The notice for a task that ended, in `width` columns: `[f2dc2742 done · 50 of 50 results ·
    /// 3 min]`, shorter where that does not fit (`[f2dc2742 done · 50/50 · 3 min]`).
    static func notice(_ ended: Ended, width: Int = 200, style: Style) -> String {
        let task = ended.task
        let head = "\(TextLayout.safe(DeepSearchClient.short(task.id))) \(style.status(task.status))"
        let took = Self.duration(ended.took)
        func form(_ parts: [String]) -> String { "[" + ([head] + parts + [took]).joined(separator: " · ") + "]" }
        guard task.status == .done else { return TextLayout.first(fitting: width, [form([]), "[\(head)]"]) }
        let exhausted = task.isExhausted ? ["exhausted"] : []
        let count = "\(task.numResults)/\(task.desiredNumResults)"
        return TextLayout.first(
            fitting: width,
            [
                form(["\(task.numResults) of \(task.desiredNumResults) results"] + exhausted), form([count] + exhausted), form([count]),
                "[\(head) · \(count)]",
            ])
    }

    /// `45 s`, `3 min`, `2 h 5 min`.
    static func duration(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        let minutes = (seconds % 3600) / 60
        return "\(seconds / 3600) h" + (minutes > 0 ? " \(minutes) min" : "")
    }
}
