import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// `token`: shows, sets or clears the API token; never prints it whole.
struct TokenCommand: ShellCommand {
    static let spec = CommandSpec(
        "token", synopsis: "token [VALUE | --prompt | --clear]",
        abstract: "Show the masked token and where it came from, or set or clear it.",
        discussion:
            "--prompt reads a token with echo off. A VALUE typed inline works but is never stored in history; prefer --prompt or EXTRUCT_API_TOKEN.",
        examples: ["token", "token --prompt", "token --clear"],
        flags: [
            FlagSpec("--prompt", arity: 0, help: "read a new token without echoing it"),
            FlagSpec("--clear", arity: 0, help: "forget the token"),
        ],
        positionals: 0...1)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        if arguments.flag("--clear") {
            context.session.token = nil
            context.session.tokenOrigin = "nowhere (cleared)"
        } else if arguments.flag("--prompt") {
            guard context.console.inputIsTerminal, let token = SecretPrompt.read("token: ") else {
                throw CommandFailure.local("token --prompt needs a terminal; set EXTRUCT_API_TOKEN instead")
            }
            guard !token.isEmpty else { throw CommandFailure.usage("token: nothing was typed; the token is unchanged") }
            context.session.token = token
            context.session.tokenOrigin = "token --prompt"
        } else if let value = arguments.positionals.first?.text {
            guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
                throw CommandFailure.usage("token: a token has no spaces and is not empty")
            }
            context.session.token = value
            context.session.tokenOrigin = arguments.positionals[0].isExpansion ? "a variable (token command)" : "the token command"
        }
        if let token = context.session.token { context.environment.secrets.insert(token) }
        if context.wantsJSON {
            context.printJSON(.object(["token": .string(context.session.maskedToken), "source": .string(context.session.tokenOrigin)]))
        } else {
            context.console.out("token \(context.session.maskedToken) from \(context.session.tokenOrigin)")
        }
    }
}
