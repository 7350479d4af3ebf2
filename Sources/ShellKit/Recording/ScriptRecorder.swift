import DeepSearch
import FoundationEssentials
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Turns a session into a script: every command that succeeded, task ids made by `create`
/// replaced by variables, never the token. The file is rewritten whole (atomically) after each
/// command, so a killed shell leaves the script as far as it got.
@MainActor
public final class ScriptRecorder {
    public let path: String
    private let header: [String]
    private var lines: [String] = []
    /// Task ids produced by `create`, with the variable each became.
    private var taskVariables: [(id: String, variable: String)] = []
    public private(set) var commandCount = 0

    public init(path: String, apiURL: String, version: String, date: Date) {
        self.path = path
        let when = Timestamp(date: date).text.prefix(16).replacing("T", with: " ")
        header = [
            "#!/usr/bin/env extruct-shell",
            "# Recorded with extruct-shell \(version) on \(when) UTC against \(apiURL.withoutControlCharacters)",
            "# Play it again with: extruct-shell \(FilePath(path).lastComponent?.string ?? path)  (the token comes from EXTRUCT_API_TOKEN)",
            "",
        ]
    }

    /// Adds a command line that succeeded; `createdTask` is the id a `create` produced;
    /// `resolvedTaskIDs` are the ids typed in part, written whole (the script then replays
    /// wherever those tasks are, not only where the part was unique).
    func record(
        _ line: String, command: String, createdTask: String?, resolvedTaskIDs: [(typed: String, id: String)] = [], secrets: Set<String>
    ) {
        var text = line.trimmingSpaces
        if command == "token" {
            let rest = String(text.dropFirst(5)).trimmingSpaces
            text = rest.isEmpty || rest == "--clear" ? text : "token $EXTRUCT_API_TOKEN"
        }
        text = secrets.reduce(text) { Secrets.redact($0, $1, replacement: "$EXTRUCT_API_TOKEN") }
        text = Self.writingWholeIDs(resolvedTaskIDs, in: text)
        text = replaceTaskIDs(in: text)
        lines.append(text)
        commandCount += 1
        if let createdTask {
            let variable = "task\(taskVariables.count + 1)"
            taskVariables.append((createdTask, variable))
            lines.append("set \(variable) $task")
        }
    }

    /// Writes the script as it stands.
    public func save() throws(CommandFailure) {
        let text = (header + lines).joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o700)
    }

    /// `line` with each word that is a typed part of an id (alone, quoted, or after `=` as in
    /// `--exclude-task=3f2a`) replaced by the whole id.
    static func writingWholeIDs(_ resolved: [(typed: String, id: String)], in line: String) -> String {
        guard !resolved.isEmpty else { return line }
        let whole = Dictionary(resolved.map { ($0.typed, $0.id) }) { first, _ in first }
        return line.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let text = String(word)
            let head = text.firstIndex(of: "=").map { String(text[...$0]) } ?? ""
            let value = String(text.dropFirst(head.count))
            let quoted = value.count >= 2 && (value.first == "\"" || value.first == "'") && value.last == value.first
            let bare = quoted ? String(value.dropFirst().dropLast()) : value
            guard let id = whole[bare] else { return text }
            return quoted ? head + String(value.first!) + id + String(value.last!) : head + id
        }.joined(separator: " ")
    }

    /// Words that are a recorded task id, or a prefix (4+ characters) of exactly one, become `${taskN}`.
    private func replaceTaskIDs(in line: String) -> String {
        guard !taskVariables.isEmpty else { return line }
        var out: [String] = []
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let bare = String(word).trimming { $0 == "\"" || $0 == "'" }
            if bare.count >= 4 {
                let matches = taskVariables.filter { $0.id == bare || $0.id.hasPrefix(bare) }
                if matches.count == 1 {
                    out.append(String(word).replacing(bare, with: "${\(matches[0].variable)}"))
                    continue
                }
            }
            out.append(String(word))
        }
        return out.joined(separator: " ")
    }
}
