import FoundationEssentials

extension DeepSearchError {
    /// The tasks a 404 is about when the operation names none: the excluded tasks of a create
    /// that the answer names (else all of them), the task a raw path names, or the id after the
    /// word "task" in the answer. Nil when the answer does not speak of a task.
    static func tasksNamed(by detail: String, request: HTTPRequest) -> [String]? {
        guard detail.lowercased().contains("task") else { return nil }
        let excluded = excludedTaskIDs(in: request)
        let named = excluded.filter { detail.contains($0) }
        if !named.isEmpty { return named }
        if !excluded.isEmpty { return excluded }
        if let id = taskID(inPath: request.path) ?? idAfterWordTask(in: detail) { return [id] }
        return []
    }

    /// What to say of tasks the API did not find, and what to do.
    static func unknownTasks(_ ids: [String], excluded: Bool) -> (what: String, advice: String) {
        let safe = ids.map(\.withoutControlCharacters)
        let what: String =
            switch safe.count {
            case 0: "the task was not found"
            case 1: "\(excluded ? "excluded task" : "task") \(safe[0]) not found"
            default: "one of the excluded tasks \(safe.joined(separator: ", ")) not found"
            }
        let advice =
            excluded
            ? "--exclude-task takes a finished task of this workspace; check the id with tasks"
            : "check the id with tasks; tasks of other workspaces are not visible"
        return (what, advice)
    }

    /// `exclude_task_ids` of a create's body.
    private static func excludedTaskIDs(in request: HTTPRequest) -> [String] {
        guard let body = request.body, let json = try? JSONParser.parse(body) else { return [] }
        return (json["exclude_task_ids"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The id in `/v1/discovery_tasks/ID…`.
    private static func taskID(inPath path: String) -> String? {
        let prefix = "/v1/discovery_tasks/"
        guard path.hasPrefix(prefix) else { return nil }
        let id = path.dropFirst(prefix.count).prefix { $0 != "/" && $0 != "?" }
        return id.isEmpty ? nil : URLEncoding.decode(String(id))
    }

    /// The id-like word after "task" in `text` ("Task 3f2a8c1e not found"): hex digits and
    /// dashes, at least four.
    private static func idAfterWordTask(in text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "'" || $0 == "\"" || $0 == ":" })
        for (index, word) in words.enumerated().dropLast() where word.lowercased() == "task" {
            let next = words[index + 1]
            if next.count >= 4, next.allSatisfy({ $0.isHexDigit || $0 == "-" }) { return String(next) }
        }
        return nil
    }
}
