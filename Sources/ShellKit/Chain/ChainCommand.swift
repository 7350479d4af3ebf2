import DeepSearch

/// `chain`, `chain clear`, `chain use ID… [--goal N]`: the tasks `collect` chained.
struct ChainCommand: ShellCommand {
    static let spec = CommandSpec(
        "chain", synopsis: "chain [clear | use ID… [--goal N]]",
        abstract: "Show the tasks of the current chain (collect makes it): what each added, and the totals.",
        discussion: """
            Tasks not finished when last seen are read again. chain clear forgets the chain (its tasks \
            stay on the server) so that collect can start another. chain use ID… makes those tasks the \
            chain, in order, reading each one's results: the first one's query, criteria and exclusions \
            make the follow-ups, and --goal is the companies to collect (by default those found). A \
            recording writes a chain use line where collect was stopped, so the script goes on from the \
            same chain. The chain is kept for the next shell in $XDG_STATE_HOME/extruct-shell/chain.json.
            """,
        examples: ["chain use f2dc2742 --goal 300", "chain", "chain clear"],
        flags: [FlagSpec("--goal", "N", help: "with use: the distinct companies to collect (1…\(CollectCommand.most))")],
        positionals: 0...(CollectCommand.Limits.api.tasks + 2), positionalCompletion: .values(["clear", "use"]), talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let words = arguments.positionals.map(\.text)
        switch words.first {
        case nil:
            if arguments.flag("--goal") { throw CommandFailure.usage("chain: --goal goes with use (chain use ID… --goal N)") }
            try await show(context)
        case "clear":
            if words.count > 1 || arguments.flag("--goal") { throw CommandFailure.usage("chain clear takes nothing more") }
            guard let chain = context.session.chain else {
                context.progress("no chain to clear")
                return
            }
            context.session.chain = nil
            let count = chain.tasks.count
            context.tell("forgot the chain of \(count) task\(count == 1 ? "" : "s"); they stay on the server (tasks lists them)")
        case "use":
            try await use(Array(words.dropFirst()), goal: arguments.value("--goal"), context: context)
        case let word?:
            throw CommandFailure.usage("chain takes clear or use ID…, not '\(TextLayout.safe(word))'; chain alone shows the chain")
        }
    }

    /// The line a recording keeps for `chain`: `chain use ID… --goal N`.
    static func useLine(for chain: Chain) -> String {
        (["chain use"] + chain.tasks.map(\.id) + ["--goal", String(chain.goal)]).joined(separator: " ")
    }

    private static func show(_ context: CommandContext) async throws {
        guard var chain = context.session.chain else {
            throw CommandFailure.usage("there is no chain: collect N QUERY starts one, and chain use ID… makes one of tasks that exist")
        }
        // What was running when last seen is read again; what ended stays as counted.
        for index in chain.tasks.indices where !chain.tasks[index].status.isTerminal {
            let member = chain.tasks[index]
            let task = try await context.client().task(id: member.id).value
            context.observe(task)
            context.note(task)
            if task.numResults != member.results || task.status != member.status {
                let page = try await context.client().allResults(id: member.id, pageSize: context.bulkPageSize, knownTotal: task.numResults)
                chain.count(page.value, at: index)
            }
        }
        context.session.chain = chain
        let json = chain.json(withFound: false)
        context.remember(json, status: 200)
        if context.wantsJSON {
            context.printJSON(json)
        } else {
            context.console.out(ChainTable.render(chain, width: context.width, style: context.style))
        }
    }

    private static func use(_ typed: [String], goal: String?, context: CommandContext) async throws {
        guard !typed.isEmpty else { throw CommandFailure.usage("chain use needs the ids of the chain's tasks, first one first") }
        let limit = CollectCommand.Limits.api.tasks + 1
        if typed.count > limit { throw CommandFailure.usage("chain use takes at most \(limit) tasks (got \(typed.count))") }
        let goal = try goal.map { text throws(CommandFailure) in try CollectCommand.goal(text) }
        var ids: [String] = []
        for text in typed {
            let id = try await context.resolveTaskID(text, for: "chain use")
            if ids.contains(id) { throw CommandFailure.usage("chain use: \(DeepSearchClient.short(id)) is named twice") }
            ids.append(id)
        }
        var chain: Chain?
        for (index, id) in ids.enumerated() {
            let page = try await context.client().allResults(
                id: id, pageSize: context.bulkPageSize, knownTotal: context.session.knownResultCounts[id])
            let task = page.value.task
            context.observe(task)
            context.note(task)
            if chain == nil { chain = Chain(goal: 1, recipe: CreateTaskRequest(query: task.query)) }
            var member = Chain.Member(id: task.id, status: task.status)
            // Those before the last are done with; the last may go on (collect --continue).
            member.isSettled = index < ids.count - 1 || task.isExhausted || task.numResults >= DiscoveryTask.resultCap
            chain!.tasks.append(member)
            chain!.count(page.value, at: index)
        }
        guard var chain else { return }
        chain.goal = goal ?? max(1, chain.companies)
        context.session.chain = chain
        if context.wantsJSON {
            context.printJSON(chain.json(withFound: false))
        } else {
            context.console.out(ChainTable.render(chain, width: context.width, style: context.style))
        }
    }
}
