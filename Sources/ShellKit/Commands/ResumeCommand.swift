import DeepSearch

/// `resume [N]`: asks the current task for N more results.
struct ResumeCommand: ShellCommand {
    static let spec = CommandSpec(
        "resume", synopsis: "resume [N]",
        abstract: "Ask the current task for N more results (0…250, default 25), within the 250 cap.",
        discussion:
            "Resuming spends credits and is never retried automatically. An exhausted task cannot be resumed: create a new one with --exclude-task.",
        examples: ["resume", "resume 40"],
        positionals: 0...1, talksToAPI: true, positionalField: ("desired_new_results", "N"))

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id = try context.currentTask()
        let count =
            try arguments.positionals.first.map { word throws(CommandFailure) in
                try Arguments.int(word.text, what: "resume", in: 0...DiscoveryTask.resultCap)
            } ?? 25
        let before = context.session.knownTargets[id]
        let response = try await context.client().resume(id: id, desiredNewResults: count)
        context.remember(response.raw, status: response.status)
        context.note(response.value)
        if context.wantsJSON {
            context.printJSON(response.raw)
        } else {
            var previous = response.value
            previous.desiredNumResults = before ?? max(1, response.value.desiredNumResults.saturatingSubtract(count))
            context.console.out(TaskCard.resumed(before: previous, after: response.value, width: context.width, style: context.style))
        }
    }
}
