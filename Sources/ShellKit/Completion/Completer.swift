import FoundationEssentials
import LineEditing
import POSIXSupport

#if canImport(Glibc)
import Glibc
#endif

/// Tab completion from what the shell knows, never from the network: commands, each command's
/// options, task ids (this session's and the last ones seen before, from the cache), setting
/// names, file paths.
public struct Completer: Sendable {
    let specs: [CommandSpec]
    /// Newest first.
    let taskIDs: [String]
    let variables: [String]

    public init(specs: [CommandSpec], taskIDs: [String], variables: [String]) {
        self.specs = specs
        self.taskIDs = taskIDs
        self.variables = variables
    }

    private var names: [String] { specs.flatMap { [$0.name] + $0.aliases } }

    private func spec(named name: String) -> CommandSpec? {
        specs.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Candidates for the word that ends at the end of `before`.
    public func complete(_ before: String) -> Completion {
        let words = Self.roughWords(before)
        let current = before.last.map { $0 == " " || $0 == "\t" } ?? true ? "" : (words.last ?? "")
        let previous = current.isEmpty ? words : Array(words.dropLast())
        let replacing = current.unicodeScalars.count

        if current.hasPrefix("$") {
            let names = ["task", "last"] + variables
            return Completion(replacing: replacing, candidates: names.map { "$" + $0 }.filter { $0.hasPrefix(current) }.sorted())
        }
        guard let commandName = previous.first else {
            return Completion(replacing: replacing, candidates: names.filter { $0.hasPrefix(current) }.sorted())
        }
        var commandWords = previous
        var spec = self.spec(named: commandName)
        if commandName == "try" {
            guard previous.count >= 2 else {
                return Completion(replacing: replacing, candidates: names.filter { $0.hasPrefix(current) }.sorted())
            }
            commandWords = Array(previous.dropFirst())
            spec = self.spec(named: previous[1])
        }
        guard let spec else { return .none }

        // A value of the option just before?
        var kind = spec.positionalCompletion
        var ofFlag = false
        // Words typed in the places of positionals, before the cursor.
        var positionals = 0
        var i = 1
        while i < commandWords.count {
            if let flag = spec.flags.first(where: { $0.name == commandWords[i] }) {
                if i + flag.arity >= commandWords.count {
                    kind = flag.completion
                    ofFlag = true
                    if flag.arity > 0, flag.completion == .none { return .none }
                    break
                }
                i += flag.arity
            } else if !commandWords[i].hasPrefix("-") {
                positionals += 1
            }
            i += 1
        }
        if current.hasPrefix("-") {
            let used = Set(commandWords)
            let flags = spec.flags.filter { $0.repeatable || !used.contains($0.name) }.map(\.name)
            return Completion(replacing: replacing, candidates: flags.filter { $0.hasPrefix(current) }.sorted())
        }
        switch kind {
        case .none: return .none
        case .command: return Completion(replacing: replacing, candidates: names.filter { $0.hasPrefix(current) }.sorted())
        case .setting:
            // After the name (set color ▹), the values that setting takes.
            if commandWords.count >= 2 {
                // One value a setting: once it is typed, nothing more to offer (set width 80 ▹).
                guard spec.name == "set", commandWords.count == 2 else { return .none }
                return Completion(
                    replacing: replacing, candidates: (Settings.setting(commandWords[1])?.completions ?? []).filter { $0.hasPrefix(current) })
            }
            return Completion(replacing: replacing, candidates: (Settings.names + variables).filter { $0.hasPrefix(current) }.sorted())
        case .values(let values):
            // A command's words (resume max, chain use, raw GET) come first, once: not again after one.
            if !ofFlag, positionals > 0 { return .none }
            return Completion(replacing: replacing, candidates: values.filter { $0.hasPrefix(current) })
        case .taskID:
            return Completion(replacing: replacing, candidates: taskIDs.filter { $0.hasPrefix(current) })
        case .file: return Self.files(current)
        }
    }

    /// Words split at spaces, quotes ignored (enough to know where the cursor is).
    static func roughWords(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
            String($0).replacing("\"", with: "").replacing("'", with: "")
        }
    }

    /// Paths that start with `partial`; directories end in `/` and take no space after them.
    static func files(_ partial: String) -> Completion {
        let expanded = partial.hasPrefix("~/") ? Environment.home + partial.dropFirst(1) : partial
        let directory: String
        let prefix: String
        if let slash = expanded.lastIndex(of: "/") {
            directory = String(expanded[...slash])
            prefix = String(expanded[expanded.index(after: slash)...])
        } else {
            directory = ""
            prefix = expanded
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        var candidates: [String] = []
        for name in entries.sorted() where name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !name.hasPrefix(".")) {
            let shown = (partial.hasPrefix("~/") ? "~/" + (directory + name).dropFirst(Environment.home.count + 1) : directory + name)
            candidates.append(shown + (FileContents.isDirectory(directory + name) == true ? "/" : ""))
        }
        let single = candidates.count == 1 && candidates[0].hasSuffix("/")
        return Completion(replacing: partial.unicodeScalars.count, candidates: candidates, appendsSpace: !single)
    }
}
