import DeepSearch

/// `tasks`: the workspace's tasks, newest first.
struct TasksCommand: ShellCommand {
    static let spec = CommandSpec(
        "tasks", synopsis: "tasks [--limit N] [--offset N]", abstract: "List tasks, newest first.",
        examples: ["tasks", "tasks --limit 5 --offset 5"],
        flags: [
            FlagSpec("--limit", "N", apiField: "limit", help: "how many (default 20)"),
            FlagSpec("--offset", "N", apiField: "offset", help: "how many to skip (default 0)"),
        ],
        talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let page = PageRequest(
            offset: try arguments.int("--offset", in: Int.min...Int.max) ?? 0,
            limit: try arguments.int("--limit", in: Int.min...Int.max) ?? 20)
        let response = try await context.client().listTasks(page)
        context.remember(response.raw, status: response.status)
        for task in response.value.reversed() { context.note(task) }
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            context.console.out(TaskTable.render(response.value, now: context.now, width: context.width, style: context.style))
        }
    }
}
