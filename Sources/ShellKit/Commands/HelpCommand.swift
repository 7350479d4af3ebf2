/// `help [COMMAND]`: the commands, or one in detail.
struct HelpCommand: ShellCommand {
    static let spec = CommandSpec(
        "help", synopsis: "help [COMMAND]", abstract: "List the commands, or explain one with its options and examples.",
        examples: ["help", "help create"], positionals: 0...1, positionalCompletion: .command, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let registry = context.environment.registry
        let style = context.style
        guard let name = arguments.positionals.first?.text else {
            context.console.out(overview(registry, style: style, width: context.width))
            return
        }
        guard let command = registry.command(named: name) else {
            let hint = registry.suggestion(for: name).map { " (did you mean \($0)?)" } ?? ""
            throw CommandFailure.usage("help: there is no command \(name)\(hint); help lists them")
        }
        context.console.out(detail(command.spec, style: style, width: context.width))
    }

    static func overview(_ registry: CommandRegistry, style: Style, width: Int) -> String {
        var lines = [style.bold("extruct-shell") + " — Extruct Deep Search from the command line", ""]
        let nameWidth = (registry.commands.map { $0.spec.name.count }.max() ?? 8) + 2
        // Each abstract wraps under itself, and the text below at spaces, in a row less a column.
        let indent = String(repeating: " ", count: nameWidth + 2)
        for command in registry.commands {
            let spec = command.spec
            let abstract = TextLayout.wrap(spec.abstract, to: max(20, width - 1 - nameWidth - 2))
            lines.append("  " + style.bold(TextLayout.pad(spec.name, to: nameWidth)) + (abstract.first ?? ""))
            lines += abstract.dropFirst().map { indent + $0 }
        }
        lines.append("")
        for text in [
            "help COMMAND explains one. Tab completes commands, options, task ids, settings and files.",
            "Variables: set NAME VALUE, then $NAME; $task is the current task, $last.FIELD a field of the last response.",
            "Ctrl-C cancels a request or stops watch; Ctrl-D or exit leaves.",
        ] {
            lines += TextLayout.wrap(text, to: max(20, width - 1))
        }
        return lines.joined(separator: "\n")
    }

    static func detail(_ spec: CommandSpec, style: Style, width: Int) -> String {
        var lines = [style.bold(spec.synopsis), "", TextLayout.wrap(spec.abstract, to: max(30, width - 2)).joined(separator: "\n")]
        if !spec.discussion.isEmpty {
            lines += [
                "", TextLayout.wrap(spec.discussion.split(separator: "\n").joined(separator: " "), to: max(30, width - 2)).joined(separator: "\n"),
            ]
        }
        if !spec.aliases.isEmpty { lines += ["", "also: " + spec.aliases.joined(separator: ", ")] }
        if !spec.flags.isEmpty {
            lines += ["", "options:"]
            let column = (spec.flags.map { ($0.name + " " + $0.valueNames).count }.max() ?? 10) + 4
            for flag in spec.flags {
                let left = "  " + flag.name + (flag.valueNames.isEmpty ? "" : " " + flag.valueNames)
                let help = flag.help + (flag.repeatable ? " (repeatable)" : "")
                // The help wraps under itself in a row less a column; on a narrow terminal it
                // goes under the option instead.
                let room = width - 1 - column
                if room >= 20 {
                    let wrapped = TextLayout.wrap(help, to: room)
                    lines.append(TextLayout.pad(left, to: column) + (wrapped.first ?? ""))
                    lines += wrapped.dropFirst().map { String(repeating: " ", count: column) + $0 }
                } else {
                    lines.append(left)
                    lines += TextLayout.wrap(help, to: max(20, width - 1 - 6)).map { "      " + $0 }
                }
            }
        }
        lines += ["", "examples:"] + spec.examples.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}
