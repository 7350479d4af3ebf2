import DeepSearch
import FoundationEssentials
import POSIXSupport
import SystemPackage

/// The task ids last seen on each API (the last `tasks` list, and tasks made or used since),
/// newest first, kept in `$XDG_CACHE_HOME/extruct-shell/task-ids.json` (mode 0600, in a 0700
/// folder) so Tab completes them in a later process without asking the network:
/// `{"apis": [{"url": "https://api.extruct.ai", "ids": ["3f2a8c1e-…", …]}]}`, the API used last
/// first. A file that cannot be read is an empty cache; one that cannot be written is left as it is.
struct TaskIDCache: Sendable {
    /// Ids kept for one API.
    static let idsPerAPI = 200
    /// APIs kept (each `--demo` is a new one, so old ones fall off).
    static let apiLimit = 8

    let path: String

    static func defaultPath() -> String {
        let cache = Environment.value("XDG_CACHE_HOME") ?? (Environment.home + "/.cache")
        return cache + "/extruct-shell/task-ids.json"
    }

    /// Every API's ids, the API used last first.
    func load() -> [(url: String, ids: [String])] {
        guard let bytes = FileContents.read(path), let json = try? JSONParser.parse(bytes), let apis = json["apis"]?.arrayValue else { return [] }
        return apis.compactMap { api in
            guard let url = api["url"]?.stringValue else { return nil }
            return (url, (api["ids"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// The ids seen on `apiURL`, newest first.
    func ids(for apiURL: String) -> [String] {
        load().first { $0.url == apiURL }?.ids ?? []
    }

    /// Keeps `ids` (newest first) as those of `apiURL`, which becomes the API used last.
    func save(_ ids: [String], for apiURL: String) throws(CommandFailure) {
        let directory = FilePath(path).removingLastComponent().string
        if let code = FileContents.makeDirectories(directory, mode: 0o700) {
            throw .local("cannot keep task ids in \(directory): \(FileContents.reason(code))")
        }
        let apis = [(url: apiURL, ids: Array(ids.prefix(Self.idsPerAPI)))] + load().filter { $0.url != apiURL }
        let json = JSONValue.object([
            "apis": .array(
                apis.prefix(Self.apiLimit).map { api in
                    .object(["url": .string(api.url), "ids": .array(api.ids.map(JSONValue.string))])
                })
        ])
        try AtomicFile.write(Array((JSONWriter.pretty(json) + "\n").utf8), to: path, mode: 0o600)
    }
}

extension Shell {
    /// The ids Tab offers, newest first: this session's, then those the cache kept for its API.
    func completableTaskIDs() -> [String] {
        let seen = Array(session.seenTasks.reversed())
        guard cachesTaskIDs(of: session) else { return seen }
        let seenSet = Set(seen)
        return seen + cachedTaskIDs(for: session.apiURL).filter { !seenSet.contains($0) }
    }

    /// After a command: when the session saw a task id the cache does not hold, the cache takes
    /// the session's ids (newest first) ahead of those it had.
    func cacheTaskIDs(of session: Session) {
        guard !session.seenTasks.isEmpty, cachesTaskIDs(of: session) else { return }
        let cached = cachedTaskIDs(for: session.apiURL)
        guard let known = environment.cachedTaskIDs?.known, session.seenTasks.contains(where: { !known.contains($0) }) else { return }
        let seen = Array(session.seenTasks.reversed())
        let seenSet = Set(seen)
        let ids = Array((seen + cached.filter { !seenSet.contains($0) }).prefix(TaskIDCache.idsPerAPI))
        environment.cachedTaskIDs = (session.apiURL, ids, Set(ids))
        // A cache that cannot be written costs completion later, nothing now: no warning.
        try? environment.taskIDCache.save(ids, for: session.apiURL)
    }

    /// Ids from another process mean nothing on the built-in simulator (each run has its own
    /// tasks), in a dry run (no task is made) or a cassette's replay.
    private func cachesTaskIDs(of session: Session) -> Bool {
        let options = environment.options
        return !options.dryRun && options.replayHTTP == nil && session.apiURL != environment.simulatorURL
    }

    /// The cache's ids for `apiURL`, read from the file once per API URL.
    private func cachedTaskIDs(for apiURL: String) -> [String] {
        if let memo = environment.cachedTaskIDs, memo.url == apiURL { return memo.ids }
        let ids = environment.taskIDCache.ids(for: apiURL)
        environment.cachedTaskIDs = (apiURL, ids, Set(ids))
        return ids
    }
}
