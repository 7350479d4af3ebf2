import ArgumentParser
import FoundationEssentials

/// The options of a program as ArgumentParser describes them (`--experimental-dump-help`), as
/// manual items: the man page's OPTIONS come from the very parser that reads them.
public enum CommandLineOptions {
    /// The OPTIONS items of `command`, as its parser describes them (`--experimental-dump-help`).
    public static func items(of command: any ParsableCommand.Type) throws -> [ManualPage.Item] {
        let dump: String
        do {
            _ = try command.parseAsRoot(["--experimental-dump-help"])
            dump = ""
        } catch {
            dump = command.fullMessage(for: error)
        }
        return try items(fromHelpDump: dump)
    }

    /// The OPTIONS items of the tool described by `dump` (ArgumentParser's JSON, version 0):
    /// every displayed option and flag, then the arguments; `--help` and `--version` last.
    public static func items(fromHelpDump dump: String) throws -> [ManualPage.Item] {
        let info = try JSONDecoder().decode(ToolInfo.self, from: Data(dump.utf8))
        var items: [ManualPage.Item] = []
        var trailing: [ManualPage.Item] = []
        for argument in info.command.arguments ?? [] where argument.shouldDisplay {
            let item = ManualPage.Item(term(for: argument), text(for: argument))
            if argument.kind == "positional" {
                items.insert(item, at: 0)
            } else if ["help", "version"].contains(argument.preferredName?.name) {
                trailing.append(item)
            } else {
                items.append(item)
            }
        }
        return items + trailing
    }

    private static func term(for argument: ToolInfo.Argument) -> String {
        let value = argument.valueName.map { $0.uppercased() } ?? "VALUE"
        guard argument.kind != "positional" else { return value }
        let names = (argument.names ?? []).map { name in
            name.kind == "short" ? "`-\(name.name)`" : "`--\(name.name)`"
        }
        let joined = names.joined(separator: ", ")
        return argument.kind == "option" ? "\(joined) \(value)" : joined
    }

    private static func text(for argument: ToolInfo.Argument) -> String {
        var text = argument.abstract ?? ""
        if let discussion = argument.discussion, !discussion.isEmpty { text += " " + discussion }
        if let value = argument.defaultValue, !value.isEmpty, argument.kind == "option" { text += " Default: \(value)." }
        return text
    }

    /// The parts of ArgumentParser's `ToolInfoV0` the manual reads.
    struct ToolInfo: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        struct Argument: Decodable {
            var kind: String
            var names: [Name]?
            var preferredName: Name?
            var valueName: String?
            var abstract: String?
            var discussion: String?
            var defaultValue: String?
            var shouldDisplay: Bool
        }

        struct Command: Decodable {
            var arguments: [Argument]?
        }

        var command: Command
    }
}
