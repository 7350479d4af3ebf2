/// Every command of the shell, by name and alias.
@MainActor
public struct CommandRegistry {
    public let commands: [any ShellCommand.Type]

    /// The shell's commands, in the order `help` lists them.
    public static let standard = CommandRegistry(commands: [
        CreateCommand.self, TasksCommand.self, UseCommand.self, StatusCommand.self, ResumeCommand.self, CollectCommand.self, ChainCommand.self,
        ResultsCommand.self, ShowCommand.self, WatchCommand.self, ExportCommand.self, RawCommand.self,
        AccountCommand.self, DoctorCommand.self, TokenCommand.self, SetCommand.self, UnsetCommand.self, EchoCommand.self, SleepCommand.self,
        PauseCommand.self,
        ExpectCommand.self, TryCommand.self, SourceCommand.self, RecordCommand.self, HistoryCommand.self,
        ClearCommand.self, TutorialCommand.self, HelpCommand.self, ExitCommand.self,
    ])

    /// The command called `name` (or an alias of it).
    public func command(named name: String) -> (any ShellCommand.Type)? {
        commands.first { $0.spec.name == name || $0.spec.aliases.contains(name) }
    }

    /// Every name and alias.
    public var names: [String] { commands.flatMap { [$0.spec.name] + $0.spec.aliases } }

    /// What a mistyped name may have meant: every command it begins (`res`: `resume or
    /// results`), else the closest name if one is close.
    public func suggestion(for name: String) -> String? {
        let begun = commands.map { $0.spec.name }.filter { $0.hasPrefix(name) && $0 != name }
        if !name.isEmpty, !begun.isEmpty {
            return begun.count == 1 ? begun[0] : begun.dropLast().joined(separator: ", ") + " or " + begun.last!
        }
        let scored = names.map { ($0, Self.distance($0, name)) }.filter { $0.1 <= max(1, name.count / 3) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
