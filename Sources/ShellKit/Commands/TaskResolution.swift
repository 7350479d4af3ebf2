import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

extension CommandContext {
    /// A full task id from what the user typed: a full id, or a unique prefix of a task seen
    /// this session. An unknown prefix is sent as it is (the API answers 404 if it is wrong).
    func resolveTaskID(_ typed: String) throws(CommandFailure) -> String {
        let text = typed.trimmingSpaces
        guard !text.isEmpty else { throw .usage("a task id must not be empty") }
        if session.seenTasks.contains(text) { return text }
        let matches = session.seenTasks.filter { $0.hasPrefix(text) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            let list = matches.map { DeepSearchClient.short($0) }.joined(separator: ", ")
            throw .usage("'\(text)' matches \(matches.count) tasks (\(list)); type more of the id")
        }
        return text
    }

    /// Notes a task seen in a response: for the prompt, completion, `use` by prefix and resume's
    /// "before".
    func note(_ task: DiscoveryTask) {
        session.see(task)
        session.knownTargets[task.id] = task.desiredNumResults
        session.knownResultCounts[task.id] = task.numResults
    }
}
