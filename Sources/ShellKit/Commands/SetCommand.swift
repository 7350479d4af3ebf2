import DeepSearch

/// `set`: settings and variables.
struct SetCommand: ShellCommand {
    static let spec = CommandSpec(
        "set", synopsis: "set [NAME [VALUE…]]",
        abstract: "Show or change a setting, or set a variable for $NAME.",
        discussion: "Settings: " + Settings.table.map { "\($0.name) (\($0.shape))" }.joined(separator: ", ")
            + ". Any other NAME is a variable; the VALUE words are joined with spaces.",
        examples: ["set", "set output json", "set page_size 25", "set q \"ai startups\"   # then: create $q"],
        positionals: 0...10_000, positionalCompletion: .setting)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let words = arguments.positionals.map(\.text)
        guard let name = words.first else {
            show(context)
            return
        }
        guard Self.isName(name) else { throw CommandFailure.usage("set: '\(name)' is not a name (letters, digits and _, not starting with a digit)") }
        if ["task", "last"].contains(name) { throw CommandFailure.usage("set: $\(name) is built in and cannot be set") }
        let setting = Settings.setting(name)
        if words.count == 1 {
            if let value = setting.map({ $0.value(in: context.session.settings) }) ?? context.session.variables[name] {
                context.console.out(value)
                return
            }
            throw CommandFailure.usage("set: \(name) is not set")
        }
        let value = words.dropFirst().joined(separator: " ")
        if let setting {
            try setting.set(value, in: &context.session.settings)
        } else {
            // A slip on a setting's name would set a variable and leave the setting as it was: say so.
            if context.session.variables[name] == nil, let meant = nearestSetting(to: name) {
                context.console.err(
                    "warning: \(name) is not a setting, so this set the variable $\(name); did you mean set \(meant) \(TextLayout.safe(value))?")
            }
            context.session.variables[name] = value
        }
    }

    /// The setting `name` is one slip away from (a letter missing, added or changed), if any.
    static func nearestSetting(to name: String) -> String? {
        Settings.table.map(\.name).first { CommandRegistry.distance($0, name) == 1 }
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static func show(_ context: CommandContext) {
        let settings = context.session.settings
        if context.wantsJSON {
            var s: JSONObject = [:]
            for setting in Settings.table { s[setting.name] = .string(setting.value(in: settings)) }
            var v: JSONObject = [:]
            for (name, value) in context.session.variables.sorted(by: { $0.key < $1.key }) {
                v[name] = .string(value)
            }
            context.printJSON(.object(["settings": .object(s), "variables": .object(v)]))
            return
        }
        let style = context.style
        var lines: [String] = []
        // The help wraps under itself rather than past the width; on a narrow terminal it goes
        // below the name and value, indented.
        let beside = context.width - 24 >= 30
        let indent = String(repeating: " ", count: beside ? 24 : 4)
        for setting in Settings.table {
            let help = TextLayout.wrap(setting.help, to: context.width - 1 - indent.count).map { style.dim($0) }
            let head = TextLayout.pad(setting.name, to: 14) + setting.value(in: settings)
            if beside {
                lines.append(TextLayout.pad(head, to: 22) + "  " + help[0])
                lines += help.dropFirst().map { indent + $0 }
            } else {
                lines.append(head)
                lines += help.map { indent + $0 }
            }
        }
        if !context.session.variables.isEmpty {
            lines.append("")
            for (name, value) in context.session.variables.sorted(by: { $0.key < $1.key }) {
                lines.append("$" + TextLayout.pad(name, to: 13) + TextLayout.safe(value))
            }
        }
        context.console.out(lines.joined(separator: "\n"))
    }
}
