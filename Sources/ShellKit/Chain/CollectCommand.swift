import DeepSearch

/// `collect N QUERY [create's options]`, `collect --continue [N]`: N distinct companies from a
/// chain of tasks, each leaving out what the earlier ones found.
struct CollectCommand: ShellCommand {
    static let spec = CommandSpec(
        "collect", synopsis: "collect N QUERY [create's options] | collect --continue [N]",
        abstract: "Find N distinct companies with a chain of tasks, each leaving out what the earlier ones found.",
        discussion: """
            The first task is made as create makes it (with create's options; --results is the target \
            each task starts at, default 100) and resumed in rounds to the \(DiscoveryTask.resultCap) cap or until \
            its candidates run out; then a follow-up task leaves out every earlier one (--exclude-task), \
            and so on. It stops at N distinct companies (told apart by their domain), when a follow-up adds \
            fewer than 5 % new (the pool is dry), at the API's limits (a new task leaves out at most \
            \(Limits.api.tasks) tasks and \(Limits.api.domains) domains), or when the budget says stop; the last \
            line says which. Ctrl-C stops it with what it has: the tasks go on on the server, the chain \
            keeps them, and collect --continue goes on (toward a new N if given). chain shows the tasks, \
            export --chain FILE writes the companies. Collecting spends credits.
            """,
        examples: [
            #"collect 300 "cold chain logistics startups" --results 250"#, "collect --continue", "collect --continue 400",
        ],
        flags: CreateCommand.spec.flags + [
            FlagSpec("--continue", arity: 0, help: "go on with the current chain (chain shows it), toward N if given")
        ],
        positionals: 0...10_000, talksToAPI: true, positionalField: ("query", "QUERY"))

    /// What one create can leave out (Extruct's documented limits); tests make them smaller.
    struct Limits: Sendable {
        /// Finished tasks (`exclude_task_ids`).
        var tasks = 100
        /// Domains, those of the excluded tasks' results included.
        var domains = 1000
        static let api = Limits()
    }

    /// The target each task starts at unless `--results` says.
    static let defaultTarget = 100
    /// The most companies a chain can be asked for: past the domain limit, a follow-up cannot
    /// leave out what was found, and one more task adds at most the cap.
    static var most: Int { Limits.api.domains + DiscoveryTask.resultCap }
    /// A follow-up that adds fewer new companies than this share of those before it ends the chain.
    static let dryShare = 5

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        try await run(arguments, context, budget: context.spending.budget)
    }

    /// Runs with `budget` asked before each create (asking: the new task's target; the task is the
    /// request as a task not yet made, with an empty id) and each resume round (see ``ResumeRounds/Budget``).
    static func run(_ arguments: Arguments, _ context: CommandContext, budget: ResumeRounds.Budget) async throws {
        try await run(arguments, context, budget: budget, limits: .api)
    }

    static func run(_ arguments: Arguments, _ context: CommandContext, budget: ResumeRounds.Budget, limits: Limits) async throws {
        let words = arguments.positionals.map(\.text)
        let chain: Chain
        if arguments.flag("--continue") {
            let options = CreateCommand.spec.flags.map(\.name).filter(arguments.flag)
            if words.count > 1 || !options.isEmpty {
                let got = TextLayout.safe((words + options).joined(separator: " "))
                throw CommandFailure.usage(
                    "collect --continue takes only N, a new goal (got '\(got)'): the chain's tasks are made as its first one was")
            }
            guard var current = context.session.chain else {
                throw CommandFailure.usage("collect: there is no chain to go on with; collect N QUERY starts one")
            }
            if let word = words.first { current.goal = try goal(word) }
            chain = current
        } else {
            guard let first = words.first else {
                throw CommandFailure.usage(
                    #"collect needs N and a QUERY: collect 300 "cold chain logistics startups" (collect --continue goes on with the chain)"#)
            }
            let n = try goal(first)
            guard words.count > 1 else {
                throw CommandFailure.usage("collect needs a QUERY after N, as in collect \(n) \"cold chain logistics\"")
            }
            if let current = context.session.chain {
                throw CommandFailure.usage(
                    "a chain of \(current.tasks.count) task\(current.tasks.count == 1 ? "" : "s") is current; collect --continue goes on with it, chain clear starts over"
                )
            }
            let request = try await CreateCommand.request(arguments, query: words.dropFirst().joined(separator: " "), context: context)
            chain = Chain(goal: n, recipe: request)
        }
        var collector = Collector(chain: chain, context: context, limits: limits)
        try await collector.run(budget: budget)
    }

    /// N as typed: 1…``most``.
    static func goal(_ text: String) throws(CommandFailure) -> Int {
        if let n = Int(text), n > most {
            throw .usage(
                "collect takes 1…\(most) companies (got \(n)): a new task leaves out at most \(Limits.api.domains) domains, so a chain ends near \(most)"
            )
        }
        return try Arguments.int(text, what: "collect", in: 1...most, expecting: "the number of companies first, then the query (collect 300 QUERY)")
    }
}

/// The chain's growth: a task resumed in rounds until the chain is done with it, then a new one,
/// until a stop rule holds.
@MainActor
struct Collector {
    var chain: Chain
    let context: CommandContext
    let limits: CollectCommand.Limits

    /// Why collecting stopped.
    enum Stop: Equatable {
        /// N companies.
        case reached
        /// Task `task` (1-based) added `added`, under 5 % of the `before` found before it.
        case dry(task: Int, added: Int, before: Int)
        /// A new task would leave out more tasks than the API takes.
        case tasks(Int)
        /// … or more domains.
        case domains(Int)
        case budget(String)

        var code: String {
            switch self {
            case .reached: "reached"
            case .dry: "dry"
            case .tasks: "task_limit"
            case .domains: "domain_limit"
            case .budget: "budget"
            }
        }
    }

    /// Collects, asking `budget` before each create and each round.
    mutating func run(budget: ResumeRounds.Budget) async throws {
        let stop: Stop
        do {
            stop = try await collect(budget: budget)
        } catch is StoppedFollowing {
            throw StoppedFollowing(interrupted)
        } catch is CancellationError {
            throw StoppedFollowing(interrupted)
        }
        var json = chain.json(withFound: false).objectValue ?? [:]
        json["stop"] = .string(stop.code)
        context.remember(.object(json), status: 200)
        if context.wantsJSON { context.printJSON(.object(json)) }
        if let spent = context.spending.summary("request") { context.tell(spent) }
        context.tell(ending(stop))
    }

    /// The chain, as it stands, is the session's, and kept even if the command is stopped.
    private mutating func keep() {
        context.session.chain = chain
        context.keptChain = chain
    }

    private mutating func collect(budget: ResumeRounds.Budget) async throws -> Stop {
        while true {
            if chain.companies >= chain.goal { return .reached }
            if let index = chain.tasks.indices.last, !chain.tasks[index].isSettled {
                if let stop = try await grow(index, budget: budget) { return stop }
                continue
            }
            if let stop = refusal() { return stop }
            let target = min(chain.recipe.desiredNumResults ?? CollectCommand.defaultTarget, max(1, chain.goal - chain.companies))
            let request = chain.nextRequest(target: target)
            let planned = DiscoveryTask(
                id: "", createdAt: nil, status: .created, query: request.query, desiredNumResults: target, criteria: request.criteria,
                excludeDomains: request.excludeDomains)
            if let reason = try await budget(planned, target) { return .budget(reason) }
            let response: DeepSearchClient.Response<DiscoveryTask>
            do {
                response = try await context.client().createTask(request)
            } catch let error as DeepSearchError where error.code == .notSent {
                // A dry run goes on with a placeholder, as create does: the chain and the
                // commands after it (chain, export --chain) show their requests too.
                let placeholder = DryRunTransport.createdTaskPlaceholder
                context.session.currentTask = placeholder
                context.session.see(placeholder)
                chain.tasks.append(Chain.Member(id: placeholder, status: .created))
                keep()
                throw error
            }
            context.observe(response.value)
            context.note(response.value)
            context.session.currentTask = response.value.id
            chain.tasks.append(Chain.Member(id: response.value.id, status: response.value.status))
            keep()
        }
    }

    /// Resumes and follows the task at `index` toward what the chain still needs, then reads
    /// its results and counts them; a budget that said stop is the answer.
    private mutating func grow(_ index: Int, budget: ResumeRounds.Budget) async throws -> Stop? {
        let member = chain.tasks[index]
        let before = chain.companies - member.new
        let needed = max(1, chain.goal - chain.companies)
        var rounds = ResumeRounds(goal: min(DiscoveryTask.resultCap, member.results.saturatingAdd(needed)))
        let (goal, number) = (chain.goal, index + 1)
        rounds.line = { task, width, style, round in
            ChainTable.progress(before: before, goal: goal, number: number, task: task, round: round, width: width, style: style)
        }
        rounds.summarizesRounds = false
        let outcome = try await rounds.run(member.id, context: context, budget: budget)
        let page = try await context.client().allResults(
            id: member.id, pageSize: context.bulkPageSize, knownTotal: outcome.response.value.numResults)
        let task = page.value.task
        context.observe(task)
        context.note(task)
        context.session.currentTask = task.id
        chain.count(page.value, at: index)
        if case .budget(let reason) = outcome.stop {
            keep()
            context.tell(ChainTable.summary(chain, index: index, width: context.width))
            return .budget(reason)
        }
        // Short of the goal only by duplicates, a task with room goes on.
        chain.tasks[index].isSettled = outcome.stop != .reached || task.numResults >= DiscoveryTask.resultCap || task.isExhausted
        keep()
        context.tell(ChainTable.summary(chain, index: index, width: context.width))
        return nil
    }

    /// Why no new task can be made, if one cannot: the last follow-up found the pool dry, or a
    /// new task would have to leave out more than the API takes.
    private func refusal() -> Stop? {
        if chain.tasks.count >= 2, let last = chain.tasks.last {
            let before = chain.companies - last.new
            if last.new * (100 / CollectCommand.dryShare) < max(1, before) { return .dry(task: chain.tasks.count, added: last.new, before: before) }
        }
        let tasks = chain.tasksToExclude.count
        if tasks > limits.tasks { return .tasks(tasks) }
        let domains = chain.domainsToExclude.count
        if !chain.tasks.isEmpty, domains > limits.domains { return .domains(domains) }
        return nil
    }

    /// The last line, saying why it stopped.
    private func ending(_ stop: Stop) -> String {
        let tasks = chain.tasks.count == 1 ? "1 task" : "\(chain.tasks.count) tasks"
        let at = "collected \(chain.companies) of \(chain.goal) companies in \(tasks)"
        switch stop {
        case .reached:
            return "collected \(chain.companies) companies (asked for \(chain.goal)) in \(tasks); chain shows them, export --chain FILE writes them"
        case .dry(let task, let added, let before):
            return "\(at): task \(task) added \(added) new, under \(CollectCommand.dryShare) % of the \(before) before it; the pool is dry"
        case .tasks(let count):
            return "\(at): a new task would leave out \(count) tasks, and the API takes at most \(limits.tasks)"
        case .domains(let count):
            return "\(at): a new task would leave out \(count) domains, and the API takes at most \(limits.domains)"
        case .budget(let reason):
            return "\(at): \(reason)"
        }
    }

    /// What Ctrl-C leaves as the last line.
    private var interrupted: String {
        guard !chain.tasks.isEmpty else { return "stopped before the first task was made" }
        return "stopped at \(chain.companies) of \(chain.goal) companies in task \(chain.tasks.count); collect --continue goes on"
    }
}
