import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// The `tasks` table: id, status, results against target, created, query.
public enum TaskTable {
    public static func render(_ tasks: [DiscoveryTask], now: Date, width: Int, style: Style) -> String {
        guard !tasks.isEmpty else { return style.dim("no tasks") }
        let statusWidth = 11
        let resultsWidth = 7
        let createdWidth = 11
        let fixed = 8 + 2 + statusWidth + 2 + resultsWidth + 2 + createdWidth + 2
        let queryWidth = max(10, width - fixed)
        var lines = [
            style.dim(
                TextLayout.pad("ID", to: 8) + "  " + TextLayout.pad("STATUS", to: statusWidth) + "  "
                    + TextLayout.pad("RESULTS", to: resultsWidth, alignRight: true) + "  " + TextLayout.pad("CREATED", to: createdWidth) + "  QUERY")
        ]
        for t in tasks {
            let status = TextLayout.pad(t.status.rawValue.withoutControlCharacters, to: statusWidth)
            let colored =
                style.isEnabled
                ? style.status(t.status) + String(repeating: " ", count: max(0, statusWidth - TextLayout.width(t.status.rawValue))) : status
            let results = "\(t.numResults)/\(t.desiredNumResults)" + (t.isExhausted ? "*" : "")
            lines.append(
                style.bold(TextLayout.pad(TextLayout.safe(DeepSearchClient.short(t.id)), to: 8)) + "  " + colored + "  "
                    + TextLayout.pad(results, to: resultsWidth, alignRight: true) + "  "
                    + TextLayout.pad(RelativeTime.describe(t.createdAt?.date, now: now), to: createdWidth) + "  "
                    + TextLayout.truncate(TextLayout.safe(t.query), to: queryWidth))
        }
        if tasks.contains(where: \.isExhausted) { lines.append(style.dim("* exhausted: no more candidates")) }
        return lines.joined(separator: "\n")
    }
}
