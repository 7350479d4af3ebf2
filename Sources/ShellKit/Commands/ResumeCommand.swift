import DeepSearch

/// `resume [N|max] [--watch]`, `resume --until N`: asks the current task for more results, once
/// or in rounds until it has N.
struct ResumeCommand: ShellCommand {
    static let spec = CommandSpec(
        "resume", synopsis: "resume [N|max] [--watch] [--until N]",
        abstract: "Ask the current task for N more results (0…250, default 25), within the 250 cap.",
        discussion:
            "Resuming spends up to N credits, said with the credits left, and is never retried automatically; set confirm_above and max_credits (or --max-credits) guard it, before each round of --until too. max asks for all the room left under the cap (at the cap, nothing is sent). --watch follows the task as watch does. --until N keeps going in rounds of up to \(ResumeRounds.roundSize) (resume, then follow until the round ends) until the task has N results, is exhausted or at the cap, with a line for each round and one saying why it stopped; Ctrl-C stops following, never the task. An exhausted task cannot be resumed: create a new one with --exclude-task.",
        examples: ["resume", "resume 40", "resume 40 --watch", "resume --until 150", "resume max"],
        flags: [
            FlagSpec("--watch", arity: 0, help: "follow the task until it is done or failed, as watch does"),
            FlagSpec("--until", "N", help: "go on in rounds until the task has N results (1…250, or max)"),
        ],
        // Two, so that `resume max 5` is told what resume takes rather than only its usage.
        positionals: 0...2, positionalCompletion: .values(["max"]), talksToAPI: true, positionalField: ("desired_new_results", "N"))

    /// What a count may be, as typed.
    static let counts = "0…\(DiscoveryTask.resultCap) or max"

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        try await run(arguments, context, budget: context.spending.budget)
    }

    /// Runs with `budget` asked before each round of `--until` (see ``ResumeRounds/Budget``).
    static func run(_ arguments: Arguments, _ context: CommandContext, budget: ResumeRounds.Budget) async throws {
        let words = arguments.positionals.map(\.text)
        if words.count > 1 {
            throw CommandFailure.usage("resume takes one count, \(counts) (got '\(TextLayout.safe(words.joined(separator: " ")))')")
        }
        // --until max: to the cap, as resume max asks for.
        let goal =
            arguments.value("--until") == "max"
            ? DiscoveryTask.resultCap : try arguments.int("--until", in: 1...DiscoveryTask.resultCap, expecting: "a whole number or max")
        if let goal, let count = words.first {
            throw CommandFailure.usage(
                "resume takes a count or --until, not both (got '\(TextLayout.safe(count)) --until \(goal)'): --until \(goal) asks for what it needs in rounds"
            )
        }
        let count = try words.first.map { word throws(CommandFailure) -> Int? in
            if word == "max" { return nil }
            return try Arguments.int(word, what: "resume", in: 0...DiscoveryTask.resultCap, expecting: "a whole number, \(counts)")
        }
        let id = try context.currentTask()
        if let goal {
            try await resumeUntil(goal, id: id, context: context, budget: budget)
            return
        }
        let before: DiscoveryTask?
        let asking: Int
        switch count {
        case .some(.some(let n)):
            before = nil
            asking = n
        case .some(.none):
            // max: the room under the cap, as the task stands now.
            let task = try await context.client().task(id: id)
            context.observe(task.value)
            guard task.value.roomUnderCap > 0 else {
                context.remember(task.raw, status: task.status)
                context.note(task.value)
                let short = DeepSearchClient.short(id)
                let text =
                    "\(short) is at the \(DiscoveryTask.resultCap) cap (target \(task.value.desiredNumResults)): nothing sent; for more, create a new task with --exclude-task \(short)"
                if context.wantsJSON { context.printJSON(task.raw) }
                context.tell(text)
                return
            }
            before = task.value
            asking = task.value.roomUnderCap
        case .none:
            before = nil
            asking = 25
        }
        let known = before?.desiredNumResults ?? context.session.knownTargets[id]
        let response = try await context.spending.spend(upTo: asking, for: "resume \(asking)") {
            try await context.client().resume(id: id, desiredNewResults: asking)
        }
        let credits = context.spending.figures(upTo: asking)
        context.remember(response.raw, status: response.status)
        context.observe(response.value)
        context.note(response.value)
        var previous = response.value
        previous.desiredNumResults = known ?? max(1, response.value.desiredNumResults.saturatingSubtract(asking))
        if context.wantsJSON {
            context.printJSON(response.raw)
            context.progress(TaskCard.resumed(before: previous, after: response.value, credits: credits, width: context.width, style: .plain))
        } else {
            context.console.out(
                TaskCard.resumed(before: previous, after: response.value, credits: credits, width: context.width, style: context.style))
        }
        guard arguments.flag("--watch") else { return }
        try await TaskFollower(context).watch(id)
    }

    /// `resume --until goal`: rounds until the task has `goal` results or can have no more.
    private static func resumeUntil(_ goal: Int, id: String, context: CommandContext, budget: ResumeRounds.Budget) async throws {
        let outcome = try await ResumeRounds(goal: goal).run(id, context: context, budget: budget)
        context.remember(outcome.response.raw, status: outcome.response.status)
        context.note(outcome.response.value)
        if context.wantsJSON { context.printJSON(outcome.response.raw) }
        if let spent = context.spending.summary("round") { context.tell(spent) }
        context.tell(ResumeRounds.ending(outcome.response.value, stop: outcome.stop, rounds: outcome.rounds, goal: goal))
    }

}
