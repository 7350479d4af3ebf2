import DeepSearch

/// `use ID`: makes a task current.
struct UseCommand: ShellCommand {
    static let spec = CommandSpec(
        "use", synopsis: "use ID", abstract: "Make a task the current one (the start of its id will do, as tasks shows it).",
        examples: ["use af181d0f", "use af18"],
        positionals: 1...1, positionalCompletion: .taskID, talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id = try await context.resolveTaskID(arguments.positionals[0].text, for: "use")
        // Current before the answer: a failure drops the session's changes anyway, and a dry run
        // (which sends nothing and keeps them) goes on with this task.
        context.session.currentTask = id
        let response = try await context.client().task(id: id)
        context.remember(response.raw, status: response.status)
        context.session.currentTask = response.value.id
        context.note(response.value)
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            context.console.out(TaskCard.summary(response.value, width: context.width, style: context.style))
        }
    }
}
