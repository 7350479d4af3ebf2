import DeepSearch

/// What `chain` and `collect` print, laid out for a width (pure: data in, text out).
enum ChainTable {
    /// The `chain` table: a head line, a row per task (number, id as `tasks` shows it, query,
    /// results, new, duplicates, status), the totals. The query gives way first; numbers are never cut.
    static func render(_ chain: Chain, width: Int, style: Style) -> String {
        let usable = width - 1
        let query = TextLayout.safe(chain.recipe.query)
        let count = chain.tasks.count == 1 ? "1 task" : "\(chain.tasks.count) tasks"
        let head = TextLayout.first(
            fitting: usable,
            [
                "chain of \(count) · \(chain.companies) of \(chain.goal) companies · \(query)",
                "chain of \(count) · \(chain.companies) of \(chain.goal) companies",
                "\(count) · \(chain.companies)/\(chain.goal)",
            ])
        if chain.tasks.isEmpty { return head + "\n" + style.dim("no task yet; collect --continue starts one") }
        let rows = chain.tasks.enumerated().map { index, member in
            [
                String(index + 1), TextLayout.safe(DeepSearchClient.short(member.id)), String(member.results), String(member.new),
                String(member.duplicates), TextLayout.safe(member.status.rawValue) + (member.isExhausted ? "*" : ""),
            ]
        }
        let total = ["", "total", String(chain.results), String(chain.companies), String(chain.duplicates), ""]
        func measure(_ titles: [String]) -> [Int] {
            (0..<titles.count).map { column in
                ([titles[column], total[column]] + rows.map { $0[column] }).map(TextLayout.width).max() ?? 0
            }
        }
        var titles = ["#", "TASK", "RESULTS", "NEW", "DUP", "STATUS"]
        var widths = measure(titles)
        if widths.reduce(0, +) + 2 * (widths.count - 1) > usable {
            // Narrow (40 columns): a short title, so that a row's status is not wrapped.
            titles[2] = "RES"
            widths = measure(titles)
        }
        let fixed = widths.reduce(0, +) + 2 * (widths.count - 1)
        let queryWidth = usable - fixed - 2
        let showQuery = queryWidth >= 8
        func line(_ cells: [String], query: String?) -> String {
            var parts: [String] = []
            for (column, cell) in cells.enumerated() {
                let right = column == 0 || (2...4).contains(column)
                parts.append(TextLayout.pad(cell, to: widths[column], alignRight: right))
                if column == 1, showQuery, let query { parts.append(TextLayout.pad(TextLayout.truncate(query, to: queryWidth), to: queryWidth)) }
            }
            return TextLayout.strippingTrailingSpaces(parts.joined(separator: "  "))
        }
        var lines = [head, style.dim(line(titles, query: "QUERY"))]
        lines += rows.map { line($0, query: query) }
        lines.append(style.dim(line(total, query: "")))
        if chain.tasks.contains(where: \.isExhausted) { lines.append(style.dim("* exhausted: no more candidates")) }
        return lines.joined(separator: "\n")
    }

    /// The one live line of `collect`: the chain toward its goal, and the task that runs.
    /// `before` is what the earlier tasks found; this task's results are counted as new until read.
    static func progress(
        before: Int, goal: Int, number: Int, task: DiscoveryTask, round: Int?, width: Int, style: Style
    ) -> String {
        let now = before.saturatingAdd(task.numResults)
        let percent = "\(Int.percentage(now, of: goal))%"
        let short = TextLayout.safe(DeepSearchClient.short(task.id))
        let round = round.map { " round \($0)" } ?? ""
        let head = "collect \(now)/\(goal) · task \(number) \(short) \(style.status(task.status))\(round)"
        let long = "\(head) · \(task.numResults)/\(task.desiredNumResults) high-fit"
        let room = width - TextLayout.visibleWidth(long) - 2 - percent.count - 1
        var forms: [String] = []
        if room >= 6 {
            forms.append(
                long + "  " + style.green(TextLayout.bar(Double(min(now, goal)) / Double(max(1, goal)), width: min(20, room))) + " " + percent)
        }
        forms += [
            long + "  " + percent, "\(head)  \(percent)", "collect \(now)/\(goal) · task \(number) \(short) \(percent)",
            "\(now)/\(goal) · \(short) \(percent)", "\(now)/\(goal) \(percent)",
        ]
        return TextLayout.first(fitting: width, forms)
    }

    /// The line after each task: `task 2 · 3f2a8c1e · 250 results · 248 new · 2 duplicates · at the cap · 498/500 companies`.
    static func summary(_ chain: Chain, index: Int, width: Int) -> String {
        let member = chain.tasks[index]
        let short = TextLayout.safe(DeepSearchClient.short(member.id))
        let state =
            member.status == .failed
            ? "failed" : member.isExhausted ? "exhausted" : member.results >= DiscoveryTask.resultCap ? "at the cap" : member.status.rawValue
        let total = "\(chain.companies)/\(chain.goal)"
        let duplicates = member.duplicates == 1 ? "1 duplicate" : "\(member.duplicates) duplicates"
        return TextLayout.first(
            fitting: width - 1,
            [
                "task \(index + 1) · \(short) · \(member.results) results · \(member.new) new · \(duplicates) · \(state) · \(total) companies",
                "task \(index + 1) · \(short) · \(member.results) results · \(member.new) new · \(member.duplicates) dup · \(state) · \(total)",
                "task \(index + 1) · \(short) · \(member.results) (+\(member.new)) · \(state) · \(total)",
                "task \(index + 1) · \(short) +\(member.new) · \(total)",
                "\(index + 1) · \(short) +\(member.new)",
            ])
    }
}

extension TextLayout {
    /// `text` without the spaces at its end.
    static func strippingTrailingSpaces(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
