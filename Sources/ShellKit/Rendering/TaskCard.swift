import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// The `status` card: query, status, target against the cap, the funnel with bars, progress,
/// exhaustion, sources, criteria and exclusions.
public enum TaskCard {
    public static func render(_ task: DiscoveryTask, now: Date, width: Int, style: Style) -> String {
        let width = max(40, width)
        let labelWidth = 11
        let body = width - labelWidth - 2
        var lines: [String] = []
        let indent = String(repeating: " ", count: labelWidth + 2)
        /// A row: the label, then the value wrapped at spaces to the body's width.
        func row(_ label: String, _ value: String) {
            let wrapped = TextLayout.wrapStyled(value, to: body)
            lines.append("  " + style.dim(TextLayout.pad(label, to: labelWidth - 2)) + "  " + wrapped[0])
            for line in wrapped.dropFirst() { lines.append(indent + line) }
        }
        func more(_ value: String) { lines.append(indent + value) }

        let id = TextLayout.safe(task.id)
        lines.append(style.bold(TextLayout.width(id) + 5 <= width ? "Task \(id)" : id))
        row("Query", TextLayout.safe(task.query))
        let created = RelativeTime.describe(task.createdAt?.date, now: now)
        row("Status", "\(style.status(task.status)) · created \(created)")
        row("Target", "\(task.desiredNumResults) of the \(DiscoveryTask.resultCap) cap (\(task.roomUnderCap) more allowed)")

        let stages: [(String, Int)] = [
            ("discovered", task.numResultsDiscovered), ("enriched", task.numResultsEnriched),
            ("evaluated", task.numResultsEvaluated), ("high-fit", task.numResults),
        ]
        let top = max(1, stages.map(\.1).max() ?? 1)
        // Every count whole, however long (a negative one from a broken answer is longer than the top).
        let numberWidth = max(3, stages.map { String($0.1).count }.max() ?? 3)
        let barRoom = body - 11 - numberWidth - 2
        for (i, (name, count)) in stages.enumerated() {
            var text = TextLayout.pad(name, to: 11) + TextLayout.pad(String(count), to: numberWidth, alignRight: true)
            // The bar goes when too narrow to say anything; the numbers never.
            if barRoom >= 5 {
                let bar = TextLayout.bar(Double(count) / Double(top), width: min(30, barRoom))
                text += "  " + (i == 3 ? style.green(bar) : style.cyan(bar))
            }
            if i == 0 { row("Funnel", text) } else { more(text) }
        }
        row(
            "Progress",
            "\(task.numResults) of \(task.desiredNumResults) high-fit results (\(Int.percentage(task.numResults, of: task.desiredNumResults))%)")
        row("Exhausted", task.isExhausted ? style.yellow("yes") + " — no more candidates; resume will be refused" : "no")
        let sources = task.dataSources.map { TextLayout.safe($0.rawValue) }.joined(separator: ", ")
        row("Sources", task.autoDataSources ? "auto" + (sources.isEmpty ? "" : " (\(sources))") : sources)
        if task.criteria.isEmpty {
            row("Criteria", style.dim("none yet"))
        } else {
            let keyWidth = min(24, max(8, body / 2 - 2), task.criteria.map { TextLayout.width(TextLayout.safe($0.key)) }.max() ?? 0)
            let numberWidth = String(task.criteria.count).count
            for (i, c) in task.criteria.enumerated() {
                let text =
                    TextLayout.pad(String(i + 1), to: numberWidth, alignRight: true) + " " + TextLayout.pad(TextLayout.safe(c.key), to: keyWidth)
                    + "  " + TextLayout.truncate(TextLayout.safe(c.name), to: max(4, body - keyWidth - numberWidth - 3))
                if i == 0 { row("Criteria", text) } else { more(text) }
            }
        }
        let excluded = task.excludeDomains.count
        row("Excluded", "\(excluded) domain\(excluded == 1 ? "" : "s")")
        if let table = task.tableID { row("Table", TextLayout.safe(table)) }
        return lines.joined(separator: "\n")
    }

    /// One line, fitted to `width`: `3f2a8c1e  in_progress  64/100 high-fit  (412 discovered)  query…`;
    /// the query gives way first, then the discovered count. The numbers are never cut.
    public static func summary(_ task: DiscoveryTask, width: Int = 120, style: Style) -> String {
        let head =
            "\(style.bold(TextLayout.safe(DeepSearchClient.short(task.id))))  \(style.status(task.status))  \(task.numResults)/\(task.desiredNumResults) high-fit"
        let detail = "  (\(task.numResultsDiscovered) discovered\(task.isExhausted ? ", exhausted" : ""))"
        let query = TextLayout.safe(task.query)
        let room = width - 1 - TextLayout.visibleWidth(head + detail) - 2
        if room >= min(12, TextLayout.width(query)) {
            return head + detail + "  " + style.dim(TextLayout.truncate(query, to: min(60, room)))
        }
        let short = head + (task.isExhausted ? "  exhausted" : "")
        return TextLayout.first(fitting: width - 1, [head + detail, short])
    }

    /// What a new task may spend: `f2dc2742 target 50 · up to 50 credits · 312 left`, or the
    /// figures alone when that does not fit.
    public static func credits(_ task: DiscoveryTask, figures: String, width: Int) -> String {
        let short = TextLayout.safe(DeepSearchClient.short(task.id))
        return TextLayout.first(fitting: width - 1, ["\(short) target \(task.desiredNumResults) · \(figures)", figures])
    }

    /// The live `watch` line, fitted to `width` columns: the bar goes first, then the labels get
    /// shorter, then the funnel but the high-fit count; a number is never cut.
    public static func progressLine(_ task: DiscoveryTask, width: Int, style: Style, goal: Int? = nil, round: Int? = nil) -> String {
        // Toward `goal` (resume --until) when given, else toward the task's target.
        let goal = goal ?? task.desiredNumResults
        let fraction = goal > 0 ? Double(task.numResults) / Double(goal) : 0
        let percent = "\(Int.percentage(task.numResults, of: goal))%"
        let short = TextLayout.safe(DeepSearchClient.short(task.id))
        let head = "\(short) \(style.status(task.status))"
        let lead = round.map { "\(head) round \($0)" } ?? head
        let (d, e, v) = (task.numResultsDiscovered, task.numResultsEnriched, task.numResultsEvaluated)
        let fit = "\(task.numResults)/\(goal)"
        let exhausted = task.isExhausted ? "  " + style.yellow("exhausted") : ""
        let long = "\(lead)  \(d) discovered › \(e) enriched › \(v) evaluated › \(fit) high-fit\(exhausted)"
        let room = width - TextLayout.visibleWidth(long) - 2 - percent.count - 1
        var forms: [String] = []
        if room >= 6 { forms.append(long + "  " + style.green(TextLayout.bar(fraction, width: min(20, room))) + " " + percent) }
        forms += [
            long + "  " + percent,
            "\(lead)  \(d) disc › \(e) enr › \(v) eval › \(fit) fit\(exhausted) \(percent)",
            "\(lead) \(d)›\(e)›\(v)›\(fit)\(task.isExhausted ? " " + style.yellow("exh") : "") \(percent)",
            "\(lead) \(fit) \(percent)", "\(head) \(fit) \(percent)", "\(short) \(fit) \(percent)",
        ]
        return TextLayout.first(fitting: width, forms)
    }

    /// What `resume` shows: the target before and after, and the room left under the cap, in
    /// `width` columns.
    public static func resumed(before: DiscoveryTask?, after: DiscoveryTask, credits: String? = nil, width: Int = 120, style: Style) -> String {
        let from = before.map { String($0.desiredNumResults) } ?? "?"
        let target =
            "\(style.bold(TextLayout.safe(DeepSearchClient.short(after.id)))) target \(from) → \(style.bold(String(after.desiredNumResults)))"
        // The credits go with the target; when both do not fit, on a line of their own.
        let together = credits.map { target + " · " + $0 }
        let head = together.flatMap { TextLayout.visibleWidth($0) <= width - 1 ? $0 : nil } ?? target
        let room = " · \(after.roomUnderCap) more allowed"
        var text = TextLayout.first(
            fitting: width - 1,
            [
                head + room + " under the \(DiscoveryTask.resultCap) cap · \(style.status(after.status))",
                head + room + " · \(style.status(after.status))", head + room, head,
            ])
        if let credits, head == target { text += "\n" + credits }
        if after.roomUnderCap == 0 {
            // Said of what comes next: the task may still be running toward its new target.
            let advice =
                "its target is now the \(DiscoveryTask.resultCap) cap: for more, collect makes a chain of new tasks, or create one with --exclude-task \(DeepSearchClient.short(after.id))"
            text += "\n" + TextLayout.wrap(advice, to: width - 1).map { style.dim($0) }.joined(separator: "\n")
        }
        return text
    }
}
