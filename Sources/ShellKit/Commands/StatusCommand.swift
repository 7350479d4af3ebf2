import DeepSearch

/// `status [ID]`: the task card.
struct StatusCommand: ShellCommand {
    static let spec = CommandSpec(
        "status", synopsis: "status [ID]",
        abstract: "Show a task: query, status, target against the cap, the funnel, criteria.",
        examples: ["status", "status 3f2a8c1e"],
        positionals: 0...1, positionalCompletion: .taskID, talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id: String
        if let word = arguments.positionals.first {
            id = try await context.resolveTaskID(word.text, for: "status")
        } else {
            id = try context.currentTask()
        }
        let response = try await context.client().task(id: id)
        context.remember(response.raw, status: response.status)
        context.note(response.value)
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            context.console.out(TaskCard.render(response.value, now: context.now, width: context.width, style: context.style))
        }
    }
}
