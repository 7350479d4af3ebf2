/// `unset NAME`: forgets a variable or puts a setting back to its default.
struct UnsetCommand: ShellCommand {
    static let spec = CommandSpec(
        "unset", synopsis: "unset NAME", abstract: "Forget a variable, or put a setting back to its default.",
        examples: ["set q \"ai startups\"", "unset q", "unset output"], positionals: 1...1, positionalCompletion: .setting)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let name = arguments.positionals[0].text
        if let setting = Settings.setting(name) {
            setting.reset(in: &context.session.settings)
            return
        }
        guard context.session.variables.removeValue(forKey: name) != nil else {
            throw CommandFailure.usage("unset: \(name) is not set")
        }
    }
}
