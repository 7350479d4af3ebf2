import DeepSearch

/// The `results` table, fitted to the width: rank, company, website, relevance, one grade column
/// per criterion, HQ, size. Columns that do not fit are dropped, HQ first.
public enum ResultsTable {
    /// One row's text, made safe and measured once.
    private struct Row {
        var company: TextLayout.Cell
        var website: TextLayout.Cell
        var headquarters: TextLayout.Cell
        var size: String
        var grades: [Int?]
        var relevance: String

        init(_ result: DiscoveryResult, keys: [String]) {
            company = TextLayout.Cell(result.companyName)
            website = TextLayout.Cell(result.companyWebsite ?? "")
            headquarters = TextLayout.Cell(result.headquarters ?? "")
            size = TextLayout.safe(result.employeeCount?.rawValue ?? "")
            grades = keys.map { result.score(for: $0)?.grade }
            relevance = result.relevance.map(String.init) ?? "–"
        }
    }

    public static func render(
        _ results: [DiscoveryResult], criteria: [Criterion], firstRank: Int, width: Int, style: Style
    ) -> String {
        guard !results.isEmpty else { return style.dim("no results on this page") }
        let keys = criteria.isEmpty ? uniqueKeys(results) : criteria.map(\.key)
        let rows = results.map { Row($0, keys: keys) }
        let rankWidth = max(2, String(firstRank.saturatingAdd(results.count - 1)).count)
        let gradeWidth = keys.isEmpty ? 0 : keys.count * 2 - 1
        let relevanceWidth = max(3, rows.map { $0.relevance.count }.max() ?? 3)
        let sizeWidth = max(4, rows.map { TextLayout.width($0.size) }.max() ?? 4)
        var showSize = true
        var showHQ = true
        var showWebsite = true
        func fixed() -> Int {
            rankWidth + 2 + relevanceWidth + 2 + (gradeWidth > 0 ? gradeWidth + 2 : 0) + (showSize ? sizeWidth + 2 : 0)
        }
        func flexibleColumns() -> Int { 1 + (showWebsite ? 1 : 0) + (showHQ ? 1 : 0) }
        // Company ≥ 12, website ≥ 14, HQ ≥ 12 columns, else drop HQ, then size, then website.
        while true {
            let room = width - fixed() - 2 * (flexibleColumns() - 1)
            let minimum = 12 + (showWebsite ? 14 : 0) + (showHQ ? 12 : 0)
            if room >= minimum { break }
            if showHQ { showHQ = false } else if showSize { showSize = false } else if showWebsite { showWebsite = false } else { break }
        }
        let room = max(8, width - fixed() - 2 * (flexibleColumns() - 1))
        var company = max(7, rows.map(\.company.width).max() ?? 7)
        var site = showWebsite ? max(7, rows.map(\.website.width).max() ?? 7) : 0
        var hq = showHQ ? max(2, rows.map(\.headquarters.width).max() ?? 2) : 0
        // Too wide: the widest column gives way, one column at a time, down to its minimum
        // (company 12, website 14, HQ 12), so what is left stays balanced.
        var excess = company + site + hq - room
        while excess > 0 {
            let candidates = [(company, 12, 0), (site, 14, 1), (hq, 12, 2)].filter {
                $0.0 > $0.1 && ($0.2 != 1 || showWebsite) && ($0.2 != 2 || showHQ)
            }
            guard let widest = candidates.max(by: { $0.0 < $1.0 }) else { break }
            switch widest.2 {
            case 0: company -= 1
            case 1: site -= 1
            default: hq -= 1
            }
            excess -= 1
        }

        var header = TextLayout.pad("#", to: rankWidth, alignRight: true) + "  " + TextLayout.pad("COMPANY", to: company)
        if showWebsite { header += "  " + TextLayout.pad("WEBSITE", to: site) }
        header += "  " + TextLayout.pad("REL", to: relevanceWidth, alignRight: true)
        if gradeWidth > 0 { header += "  " + TextLayout.pad(keys.indices.map { String(($0 + 1) % 10) }.joined(separator: " "), to: gradeWidth) }
        if showHQ { header += "  " + TextLayout.pad("HQ", to: hq) }
        if showSize { header += "  " + "SIZE" }
        var lines = [style.dim(trimRight(header))]
        lines.reserveCapacity(rows.count + 2)
        for (i, row) in rows.enumerated() {
            var line = TextLayout.pad(String(firstRank.saturatingAdd(i)), to: rankWidth, alignRight: true) + "  "
            line += style.bold(row.company.padded(to: company))
            if showWebsite { line += "  " + style.blue(row.website.padded(to: site)) }
            line += "  " + TextLayout.pad(row.relevance, to: relevanceWidth, alignRight: true)
            if gradeWidth > 0 {
                line += "  "
                for (index, grade) in row.grades.enumerated() {
                    if index > 0 { line += " " }
                    line += grade.map { (1...9).contains($0) ? style.grade($0) : "?" } ?? style.grade(nil)
                }
            }
            if showHQ { line += "  " + row.headquarters.padded(to: hq) }
            if showSize { line += "  " + row.size }
            lines.append(trimRight(line))
        }
        if !keys.isEmpty {
            let names = keys.enumerated().map { i, key in
                "\(i + 1) " + TextLayout.safe(criteria.first { $0.key == key }?.name ?? key)
            }
            // Wrapped, not cut: a criterion's name is what its column's grade means.
            lines += TextLayout.wrap("grades: " + names.joined(separator: " · "), to: max(20, width - 1)).map { style.dim($0) }
        }
        return lines.joined(separator: "\n")
    }

    private static func uniqueKeys(_ results: [DiscoveryResult]) -> [String] {
        var keys: [String] = []
        for r in results { for s in r.scores where !keys.contains(s.key) { keys.append(s.key) } }
        return keys
    }

    private static func trimRight(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
