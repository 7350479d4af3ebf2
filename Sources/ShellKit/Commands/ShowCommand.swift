import DeepSearch

/// `show N`: one result in full, from the rows `results` fetched.
struct ShowCommand: ShellCommand {
    static let spec = CommandSpec(
        "show", synopsis: "show N",
        abstract: "Show result N (its rank in results) in full: descriptions, every grade, explanation and sources.",
        examples: ["results --limit 20", "show 1", "show 12"], positionals: 1...1)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let rank = try Arguments.int(arguments.positionals[0].text, what: "show", in: 1...100_000)
        guard let result = context.session.shownResults[rank] else {
            if let task = context.session.currentTask, let total = context.session.knownResultCounts[task], rank > total {
                throw CommandFailure.usage(
                    "there is no result #\(rank): task \(DeepSearchClient.short(task)) has \(total) high-fit result\(total == 1 ? "" : "s")")
            }
            if let shown = context.session.shownResults.ranks {
                throw CommandFailure.usage(
                    "result #\(rank) is not loaded (results showed #\(shown.lowerBound)–#\(shown.upperBound)); run results --offset \(rank - 1) first"
                )
            }
            throw CommandFailure.usage("no results loaded yet; run results first")
        }
        if context.wantsJSON {
            context.printJSON(result.json)
        } else {
            context.console.out(
                ResultDetail.render(result, rank: rank, criteria: context.session.shownCriteria, width: context.width, style: context.style))
        }
    }
}
