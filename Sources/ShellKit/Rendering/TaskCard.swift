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
        func row(_ label: String, _ value: String) {
            lines.append("  " + style.dim(TextLayout.pad(label, to: labelWidth - 2)) + "  " + value)
        }
        func more(_ value: String) { lines.append(String(repeating: " ", count: labelWidth + 2) + value) }

        lines.append(style.bold("Task \(TextLayout.safe(task.id))"))
        let query = TextLayout.wrap(TextLayout.safe(task.query), to: body)
        row("Query", query.first ?? "")
        for line in query.dropFirst() { more(line) }
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
        let barWidth = max(5, min(30, body - 11 - numberWidth - 2))
        for (i, (name, count)) in stages.enumerated() {
            let bar = TextLayout.bar(Double(count) / Double(top), width: barWidth)
            let text =
                TextLayout.pad(name, to: 11) + TextLayout.pad(String(count), to: numberWidth, alignRight: true) + "  "
                + (i == 3 ? style.green(bar) : style.cyan(bar))
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
            let keyWidth = min(24, task.criteria.map { TextLayout.width(TextLayout.safe($0.key)) }.max() ?? 0)
            for (i, c) in task.criteria.enumerated() {
                let text =
                    "\(i + 1) " + TextLayout.pad(TextLayout.safe(c.key), to: keyWidth) + "  "
                    + TextLayout.truncate(TextLayout.safe(c.name), to: max(8, body - keyWidth - 4))
                if i == 0 { row("Criteria", text) } else { more(text) }
            }
        }
        let excluded = task.excludeDomains.count
        row("Excluded", "\(excluded) domain\(excluded == 1 ? "" : "s")")
        if let table = task.tableID { row("Table", TextLayout.safe(table)) }
        return lines.joined(separator: "\n")
    }

    /// One line: `3f2a8c1e  in_progress  64/100 high-fit  (412 discovered)`.
    public static func summary(_ task: DiscoveryTask, style: Style) -> String {
        var line =
            "\(style.bold(TextLayout.safe(DeepSearchClient.short(task.id))))  \(style.status(task.status))  \(task.numResults)/\(task.desiredNumResults) high-fit  (\(task.numResultsDiscovered) discovered\(task.isExhausted ? ", exhausted" : ""))"
        line += "  " + style.dim(TextLayout.truncate(TextLayout.safe(task.query), to: 60))
        return line
    }

    /// The live `watch` line.
    public static func progressLine(_ task: DiscoveryTask, width: Int, style: Style) -> String {
        let fraction = task.desiredNumResults > 0 ? Double(task.numResults) / Double(task.desiredNumResults) : 0
        let funnel =
            "\(task.numResultsDiscovered) discovered › \(task.numResultsEnriched) enriched › \(task.numResultsEvaluated) evaluated › \(task.numResults)/\(task.desiredNumResults) high-fit"
        var line = "\(TextLayout.safe(DeepSearchClient.short(task.id))) \(style.status(task.status))  \(funnel)"
        if task.isExhausted { line += "  " + style.yellow("exhausted") }
        let room =
            width
            - TextLayout.width(
                TextLayout.safe(DeepSearchClient.short(task.id)) + " " + task.status.rawValue + "  " + funnel
                    + (task.isExhausted ? "  exhausted" : "")) - 2
        if room >= 12 {
            line +=
                "  " + style.green(TextLayout.bar(fraction, width: min(20, room - 6)))
                + " \(Int.percentage(task.numResults, of: task.desiredNumResults))%"
        }
        return line
    }

    /// What `resume` shows: the target before and after, and the room left under the cap.
    public static func resumed(before: DiscoveryTask?, after: DiscoveryTask, style: Style) -> String {
        let from = before.map { String($0.desiredNumResults) } ?? "?"
        var text = "\(style.bold(TextLayout.safe(DeepSearchClient.short(after.id)))) target \(from) → \(style.bold(String(after.desiredNumResults)))"
        text += " · \(after.roomUnderCap) more allowed under the \(DiscoveryTask.resultCap) cap · \(style.status(after.status))"
        if after.roomUnderCap == 0 {
            text +=
                "\n" + style.dim("the task is at the cap: to find more, create a new task with --exclude-task \(DeepSearchClient.short(after.id))")
        }
        return text
    }
}
