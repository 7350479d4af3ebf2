import DeepSearch

/// Everything a shell session remembers. A value owned by the loop: a command works on a copy,
/// and the copy is kept only when the command succeeds.
public struct Session: Sendable, Equatable {
    public var apiURL: String
    /// Where the API URL came from, for messages.
    public var apiURLOrigin: String
    public var token: String?
    /// Where the token came from (`--token`, `EXTRUCT_API_TOKEN`, profile "x", …).
    public var tokenOrigin: String
    /// The task commands act on.
    public var currentTask: String?
    /// Its last known status, for the prompt.
    public var currentStatus: TaskStatus?
    /// Task ids seen this session, oldest first, for completion and `use` by prefix.
    public var seenTasks: [String] = []
    /// The last response's body, for `expect` and `$last`.
    public var lastResponse: JSONValue?
    /// The last HTTP status an API command got (0: none, e.g. the connection failed).
    public var lastHTTPStatus: Int?
    /// The last known target of each task, for what resume shows as "before".
    public var knownTargets: [String: Int] = [:]
    /// The last known number of results of each task: `export` and `results --all` ask for every
    /// page at once when they know it.
    public var knownResultCounts: [String: Int] = [:]
    /// The rows `results` last showed, by rank, for `show N`.
    public var shownResults = ShownResults()
    /// The criteria of the task those rows belong to.
    public var shownCriteria: [Criterion] = []
    public var settings = Settings()
    /// Variables set with `set NAME VALUE`.
    public var variables: [String: String] = [:]
    /// The tasks `collect` chains (`chain` shows them).
    public var chain: Chain?

    public init(apiURL: String, apiURLOrigin: String, token: String?, tokenOrigin: String) {
        self.apiURL = apiURL
        self.apiURLOrigin = apiURLOrigin
        self.token = token
        self.tokenOrigin = tokenOrigin
    }

    /// Remembers a task id (most recent last, no duplicates).
    public mutating func see(_ id: String) {
        seenTasks.removeAll { $0 == id }
        seenTasks.append(id)
    }

    /// Remembers `task` and, when it is the current one, its status.
    public mutating func see(_ task: DiscoveryTask) {
        see(task.id)
        if task.id == currentTask { currentStatus = task.status }
    }

    /// Remembers `task` as the API showed it: its status, target and results.
    public mutating func learn(_ task: DiscoveryTask) {
        see(task)
        knownTargets[task.id] = task.desiredNumResults
        knownResultCounts[task.id] = task.numResults
    }

    /// The token as it may be shown: `…` and its last four characters.
    public var maskedToken: String { TokenMask.mask(token) }
}

/// How a token is shown: never whole.
public enum TokenMask {
    /// `…a1b2` for a token of 12 or more characters, `…` otherwise, `(none)` without one.
    public static func mask(_ token: String?) -> String {
        guard let token, !token.isEmpty else { return "(none)" }
        return token.count >= 12 ? "…" + token.suffix(4) : "…"
    }

}

/// The rows `results` last showed, for `show N`: the page as it came, and the rank of its first row.
public struct ShownResults: Sendable, Equatable {
    /// The rank of `rows[0]` (offset + 1).
    public var firstRank = 1
    public var rows: [DiscoveryResult] = []

    /// Nothing shown yet.
    public init() {}

    /// `rows`, the first of which has rank `firstRank`.
    public init(firstRank: Int, rows: [DiscoveryResult]) {
        self.firstRank = firstRank
        self.rows = rows
    }

    /// The row of rank `rank`, if it was shown.
    public subscript(rank: Int) -> DiscoveryResult? {
        let index = rank.saturatingSubtract(firstRank)
        return rows.indices.contains(index) ? rows[index] : nil
    }

    /// The ranks shown, when any were.
    public var ranks: ClosedRange<Int>? { rows.isEmpty ? nil : firstRank...firstRank.saturatingAdd(rows.count - 1) }
}
