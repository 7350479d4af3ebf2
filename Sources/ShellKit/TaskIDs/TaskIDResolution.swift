import DeepSearch
import FoundationEssentials

extension CommandContext {
    /// A whole task id from what the user typed: a whole id, or the start of one (the eight
    /// characters `tasks` shows will do, in any process). A task seen this session is matched
    /// without a request; anything else is looked for in the task list, page by page. One match is
    /// the id; several are listed; none is an error that says where to look.
    ///
    /// `what` is the command (and flag) as typed, for messages: `use`, `create --exclude-task`.
    func resolveTaskID(_ typed: String, for what: String) async throws -> String {
        let text = typed.trimmingSpaces
        guard !text.isEmpty else { throw CommandFailure.usage("\(what): a task id must not be empty") }
        let id = try await findTaskID(text, for: what)
        if id != text { resolvedTaskIDs.append((typed: text, id: id)) }
        return id
    }

    private func findTaskID(_ text: String, for what: String) async throws -> String {
        if TaskIDs.isWholeID(text) || session.seenTasks.contains(text) { return text }
        let seen = TaskIDs.matches(text, in: session.seenTasks.reversed())
        if seen.count == 1 { return seen[0] }
        if seen.count > 1 { throw TaskIDs.ambiguous(text, seen, for: what) }
        // A dry run sends nothing, so it shows the request for the id as typed.
        if environment.options.dryRun { return text }
        let client = client()
        var found: [String] = []
        var read = 0
        for _ in 0..<TaskIDs.pageLimit {
            let page = try await client.listTasks(PageRequest(offset: read, limit: TaskIDs.pageSize)).value
            for task in page where task.id == text { return task.id }
            found += TaskIDs.matches(text, in: page.map(\.id)).filter { !found.contains($0) }
            read += page.count
            if page.count < TaskIDs.pageSize {
                if found.count == 1 { return found[0] }
                if found.count > 1 { throw TaskIDs.ambiguous(text, found, for: what) }
                throw CommandFailure.usage(
                    TaskIDs.notFound(text, for: what, read: read, onBuiltInSimulator: session.apiURL == environment.simulatorURL))
            }
        }
        if found.count == 1 { return found[0] }
        if found.count > 1 { throw TaskIDs.ambiguous(text, found, for: what) }
        throw CommandFailure.usage(
            "\(what): no task id begins with '\(TextLayout.safe(text))' among the newest \(read) tasks; give the whole id")
    }

    /// Notes a task seen in a response: for the prompt, completion, `use` by prefix and resume's
    /// "before".
    func note(_ task: DiscoveryTask) {
        session.learn(task)
    }
}

/// How typed task ids are matched and what is said when they do not match.
enum TaskIDs {
    /// Tasks asked for per page when looking an id up in the task list.
    static let pageSize = 100
    /// Pages read at most (10,000 tasks) before asking for the whole id.
    static let pageLimit = 100

    /// Whether `text` is a whole UUID (8-4-4-4-12 hexadecimal digits), which is sent as it is.
    static func isWholeID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if byte != UInt8(ascii: "-") { return false }
            } else if !byte.isHexDigit {
                return false
            }
        }
        return true
    }

    /// The ids in `ids` that begin with `prefix` (letters in either case), in their order.
    static func matches(_ prefix: String, in ids: some Sequence<String>) -> [String] {
        let lowered = prefix.lowercased()
        return ids.filter { $0.lowercased().hasPrefix(lowered) }
    }

    /// Several tasks begin with `text`: they are listed, each by as much of its id as tells it apart.
    static func ambiguous(_ text: String, _ ids: [String], for what: String) -> CommandFailure {
        let length = distinguishingLength(ids)
        let shown = ids.prefix(5).map { String($0.prefix(length)) }.joined(separator: ", ")
        let more = ids.count > 5 ? " and \(ids.count - 5) more" : ""
        return .usage("\(what): '\(TextLayout.safe(text))' begins \(ids.count) task ids (\(shown)\(more)); type more of the one you mean")
    }

    /// No task begins with `text`.
    static func notFound(_ text: String, for what: String, read: Int, onBuiltInSimulator: Bool) -> String {
        let head = "\(what): no task id begins with '\(TextLayout.safe(text))'"
        if onBuiltInSimulator {
            return head + " on this simulator: each --demo starts with new tasks, so ids from another run are gone; tasks lists this one's"
        }
        return head + (read == 0 ? "; there are no tasks yet (create starts one)" : " among your \(read) tasks; tasks lists them")
    }

    /// The fewest leading characters (at least 8, as `tasks` shows them) that tell `ids` apart.
    static func distinguishingLength(_ ids: [String]) -> Int {
        var length = 8
        for (i, a) in ids.enumerated() {
            for b in ids[(i + 1)...] {
                let common = zip(a, b).prefix { $0 == $1 }.count
                length = max(length, common + 1)
            }
        }
        return length
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
