import DeepSearch

/// `create QUERY …`: starts a Deep Search task, which becomes the current one.
struct CreateCommand: ShellCommand {
    static let spec = CommandSpec(
        "create", synopsis: "create QUERY [--results N] [--criterion KEY NAME TEXT]… [--source S]… [--exclude DOMAIN]… [--exclude-task ID]…",
        abstract: "Start a Deep Search task; it becomes the current task.",
        discussion: """
            QUERY describes the companies to find; the words are joined, so quotes are optional.
            --results is the target (1…250, default 100). Without --criterion, criteria are made
            from the query. --source picks web_search, linkedin or maps (default: automatic).
            --exclude leaves out a domain; --exclude-task leaves out what a finished task returned.
            Creating spends up to the target in credits, said with the credits left, and is never
            retried automatically; set confirm_above and max_credits (or --max-credits) guard it.
            """,
        examples: [
            #"create "vertical SaaS companies serving freight forwarding" --results 50"#,
            #"create ai startups building llm search --criterion b2b "B2B focus" "Sells mainly to businesses""#,
            "create \"cold chain logistics\" --exclude-task f2dc2742 --exclude acme.com",
        ],
        flags: [
            FlagSpec("--results", "N", apiField: "desired_num_results", help: "target number of results, 1…250 (default 100)"),
            FlagSpec(
                "--criterion", arity: 3, "KEY NAME TEXT", repeatable: true, apiField: "criteria",
                help: "a criterion: key, display name, the test (10…500 characters)"),
            FlagSpec(
                "--source", "SOURCE", repeatable: true, completion: .values(DataSource.selectable.map(\.rawValue)), apiField: "data_sources",
                help: "a data source: web_search, linkedin or maps"),
            FlagSpec("--exclude", "DOMAIN", repeatable: true, apiField: "exclude_domains", help: "a domain or URL to leave out"),
            FlagSpec(
                "--exclude-task", "ID", repeatable: true, completion: .taskID, apiField: "exclude_task_ids",
                help: "a finished task whose results to leave out"),
        ],
        positionals: 1...10_000, talksToAPI: true, positionalField: ("query", "QUERY"))

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let request = try await request(arguments, query: arguments.positionals.map(\.text).joined(separator: " "), context: context)
        let response: DeepSearchClient.Response<DiscoveryTask>
        let most = request.desiredNumResults ?? CreateTaskRequest.defaultTarget
        do {
            response = try await context.spending.spend(upTo: most, for: "create") { try await context.client().createTask(request) }
        } catch let error as DeepSearchError where error.code == .notSent {
            // A dry run goes on with a placeholder that says what it stands for.
            let placeholder = DryRunTransport.createdTaskPlaceholder
            context.session.currentTask = placeholder
            context.session.see(placeholder)
            context.console.out("# \(placeholder) stands for the id the API would return for this task")
            throw error
        }
        let task = response.value
        context.remember(response.raw, status: response.status)
        context.session.currentTask = task.id
        context.note(task)
        let credits = TaskCard.credits(task, figures: context.spending.figures(upTo: most), width: context.width)
        if context.wantsJSON {
            context.printJSON(response.raw)
            context.progress(credits)
        } else {
            context.console.out(TaskCard.summary(task, width: context.width, style: context.style))
            context.console.out(credits)
            let note = "created task \(task.id); follow it with watch, read it with results"
            context.progress(
                context.errorStyle.dim(
                    TextLayout.first(fitting: context.console.terminalWidth - 1, [note, "created task \(task.id); watch follows it", task.id])))
        }
    }

    /// The request `create`'s options describe (`collect` takes them too), checked, with the
    /// ids of tasks to leave out looked up.
    static func request(_ arguments: Arguments, query: String, context: CommandContext) async throws -> CreateTaskRequest {
        let criteria = (arguments.values["--criterion"] ?? []).map { Criterion(key: $0[0], name: $0[1], criterion: $0[2]) }
        var request = CreateTaskRequest(
            query: query, desiredNumResults: try arguments.int("--results", in: 1...DiscoveryTask.resultCap), criteria: criteria,
            dataSources: arguments.all("--source").map(DataSource.init(rawValue:)), excludeDomains: arguments.all("--exclude"),
            excludeTaskIDs: arguments.all("--exclude-task"))
        // What is wrong with the request is said before any id is looked up.
        try request.validate()
        var excludedTasks: [String] = []
        for id in request.excludeTaskIDs {
            excludedTasks.append(try await context.resolveTaskID(id, for: "\(arguments.command) --exclude-task"))
        }
        request.excludeTaskIDs = excludedTasks
        return request
    }
}
