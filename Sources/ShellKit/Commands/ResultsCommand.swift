import DeepSearch

/// `results`: a page of the current task's results, or all of them.
struct ResultsCommand: ShellCommand {
    static let spec = CommandSpec(
        "results", synopsis: "results [--offset N] [--limit N] [--all]",
        abstract: "Show the current task's results, best first, in a table fitted to the terminal.",
        discussion: """
            The page size is the page_size setting (50). --all reads everything, several pages at once over HTTPS. \
            show N prints one row in full. To keep results in a file, export FILE writes every one (CSV, JSON or JSON Lines): \
            the shell has no > redirection, so a > is a word like any other (in a query too).
            """,
        examples: ["results", "results --offset 10 --limit 5", "results --all"],
        flags: [
            FlagSpec("--offset", "N", apiField: "offset", help: "rows to skip (default 0)"),
            FlagSpec("--limit", "N", apiField: "limit", help: "rows to show (default: page_size)"),
            FlagSpec("--all", arity: 0, help: "page through every result"),
        ],
        talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let id = try context.currentTask()
        let client = context.client()
        let offset: Int
        let response: DeepSearchClient.Response<TaskResultsPage>
        if arguments.flag("--all") {
            if arguments.value("--offset") != nil || arguments.value("--limit") != nil {
                throw CommandFailure.usage("results: --all reads every row; leave out --offset and --limit")
            }
            offset = 0
            let console = context.console
            let live = console.supportsLiveLines && !context.environment.options.quiet
            response = try await client.allResults(id: id, pageSize: context.bulkPageSize, knownTotal: context.session.knownResultCounts[id]) {
                rows in
                if live { await MainActor.run { console.live { _ in "reading results… \(rows)" } } }
            }
            if live { console.clearLiveLine() }
        } else {
            offset = try arguments.int("--offset", in: Int.min...Int.max) ?? 0
            let limit = try arguments.int("--limit", in: Int.min...Int.max) ?? context.settings.pageSize
            response = try await client.results(id: id, page: PageRequest(offset: offset, limit: limit))
        }
        let page = response.value
        context.remember(response.raw, status: response.status)
        context.note(page.task)
        context.session.shownCriteria = page.task.criteria
        let firstRank = offset.saturatingAdd(1)
        context.session.shownResults = ShownResults(firstRank: firstRank, rows: page.results)
        if context.wantsJSON {
            context.printJSON(response.raw)
            return
        }
        context.console.out(
            ResultsTable.render(page.results, criteria: page.task.criteria, firstRank: firstRank, width: context.width, style: context.style))
        let shown = page.results.isEmpty ? "none" : "rows \(firstRank)–\(offset.saturatingAdd(page.results.count))"
        let footer = "\(shown) of \(page.task.numResults) high-fit results · task \(TextLayout.safe(page.task.status.rawValue))"
        let forms = [footer + (page.results.isEmpty ? "" : " · show N for one in full"), footer, "\(shown) of \(page.task.numResults)"]
        context.progress(context.errorStyle.dim(TextLayout.first(fitting: context.console.terminalWidth - 1, forms)))
    }
}
