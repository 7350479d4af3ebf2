import DeepSearch

/// `history [N]`: the last commands typed.
struct HistoryCommand: ShellCommand {
    static let spec = CommandSpec(
        "history", synopsis: "history [N]", abstract: "Show the last N commands typed (default 20).",
        examples: ["history", "history 100"], positionals: 0...1, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let count =
            try arguments.positionals.first.map { word throws(CommandFailure) in try Arguments.int(word.text, what: "history", in: 1...100_000) }
            ?? 20
        let lines = context.environment.history.lines
        let start = max(0, lines.count - count)
        if context.wantsJSON {
            context.printJSON(.array(lines[start...].map(JSONValue.string)))
            return
        }
        let width = String(lines.count).count
        let text = lines[start...].enumerated().map { offset, line in
            TextLayout.pad(String(start + offset + 1), to: width, alignRight: true) + "  " + TextLayout.safe(line)
        }
        if !text.isEmpty { context.console.out(text.joined(separator: "\n")) }
    }
}
