import DeepSearch

/// `use ID`: makes a task current.
struct UseCommand: ShellCommand {
    static let spec = CommandSpec(
        "use", synopsis: "use ID", abstract: "Make a task the current one (the start of its id will do, as tasks shows it).",
        examples: ["use 3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e", "use 3f2a"],
        positionals: 1...1, positionalCompletion: .taskID, talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id = try await context.resolveTaskID(arguments.positionals[0].text, for: "use")
        let response = try await context.client().task(id: id)
        context.remember(response.raw, status: response.status)
        context.session.currentTask = response.value.id
        context.note(response.value)
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            context.console.out(TaskCard.summary(response.value, style: context.style))
        }
    }
}
