import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// The `tasks` table: id, status, results against target, created, query, fitted to the width:
/// the query gives way first, then the created column; a number is never cut.
public enum TaskTable {
    public static func render(_ tasks: [DiscoveryTask], now: Date, width: Int, style: Style) -> String {
        guard !tasks.isEmpty else { return style.dim("no tasks") }
        let rows = tasks.map { t in
            (
                id: TextLayout.safe(DeepSearchClient.short(t.id)), status: t.status,
                statusText: t.status.rawValue.withoutControlCharacters,
                results: "\(t.numResults)/\(t.desiredNumResults)" + (t.isExhausted ? "*" : ""),
                created: RelativeTime.describe(t.createdAt?.date, now: now), query: TextLayout.safe(t.query)
            )
        }
        let idWidth = max(2, rows.map { TextLayout.width($0.id) }.max() ?? 8)
        let statusWidth = min(16, max(6, rows.map { TextLayout.width($0.statusText) }.max() ?? 6))
        let resultsWidth = max(7, rows.map { $0.results.count }.max() ?? 7)
        let createdWidth = max(7, rows.map { TextLayout.width($0.created) }.max() ?? 7)
        let fixed = idWidth + 2 + statusWidth + 2 + resultsWidth
        // The query needs 12 columns to say anything; below that the created column goes, then it.
        let usable = width - 1
        let showCreated = usable - fixed - 2 - createdWidth - 2 >= 12
        let queryWidth = usable - fixed - (showCreated ? 2 + createdWidth : 0) - 2
        let showQuery = queryWidth >= 8

        var header = TextLayout.pad("ID", to: idWidth) + "  " + TextLayout.pad("STATUS", to: statusWidth) + "  "
        header += TextLayout.pad("RESULTS", to: resultsWidth, alignRight: true)
        if showCreated { header += "  " + TextLayout.pad("CREATED", to: createdWidth) }
        if showQuery { header += "  QUERY" }
        var lines = [style.dim(header)]
        for row in rows {
            let status =
                style.isEnabled
                ? style.status(row.status) + String(repeating: " ", count: max(0, statusWidth - TextLayout.width(row.statusText)))
                : TextLayout.pad(row.statusText, to: statusWidth)
            var line = style.bold(TextLayout.pad(row.id, to: idWidth)) + "  " + status + "  "
            line += TextLayout.pad(row.results, to: resultsWidth, alignRight: true)
            if showCreated { line += "  " + TextLayout.pad(row.created, to: createdWidth) }
            if showQuery { line += "  " + TextLayout.truncate(row.query, to: queryWidth) }
            lines.append(line)
        }
        if tasks.contains(where: \.isExhausted) { lines.append(style.dim("* exhausted: no more candidates")) }
        return lines.joined(separator: "\n")
    }
}
