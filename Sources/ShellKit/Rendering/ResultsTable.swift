import DeepSearch

/// The `results` table, fitted to the width: rank, company, website, relevance, one grade column
/// per criterion, HQ, size. Columns that do not fit are dropped, HQ first.
public enum ResultsTable {
    public static func render(
        _ results: [DiscoveryResult], criteria: [Criterion], firstRank: Int, width: Int, style: Style
    ) -> String {
        guard !results.isEmpty else { return style.dim("no results on this page") }
        let keys = criteria.isEmpty ? uniqueKeys(results) : criteria.map(\.key)
        let rankWidth = max(2, String(firstRank + results.count - 1).count)
        let gradeWidth = keys.isEmpty ? 0 : keys.count * 2 - 1
        let sizeWidth = 9
        var showSize = true
        var showHQ = true
        var showWebsite = true
        func fixed() -> Int {
            rankWidth + 2 + 3 + 2 + (gradeWidth > 0 ? gradeWidth + 2 : 0) + (showSize ? sizeWidth + 2 : 0)
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
        let companyNeed = max(7, results.map { TextLayout.width(TextLayout.safe($0.companyName)) }.max() ?? 7)
        let siteNeed = showWebsite ? max(7, results.map { TextLayout.width(TextLayout.safe($0.companyWebsite ?? "")) }.max() ?? 7) : 0
        let hqNeed = showHQ ? max(2, results.map { TextLayout.width(TextLayout.safe($0.headquarters ?? "")) }.max() ?? 2) : 0
        var company = companyNeed
        var site = siteNeed
        var hq = hqNeed
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
        header += "  " + "REL"
        if gradeWidth > 0 { header += "  " + TextLayout.pad(keys.indices.map { String(($0 + 1) % 10) }.joined(separator: " "), to: gradeWidth) }
        if showHQ { header += "  " + TextLayout.pad("HQ", to: hq) }
        if showSize { header += "  " + "SIZE" }
        var lines = [style.dim(trimRight(header))]
        for (i, r) in results.enumerated() {
            var line = TextLayout.pad(String(firstRank + i), to: rankWidth, alignRight: true) + "  "
            line += style.bold(TextLayout.pad(TextLayout.safe(r.companyName), to: company))
            if showWebsite { line += "  " + style.blue(TextLayout.pad(TextLayout.safe(r.companyWebsite ?? ""), to: site)) }
            line += "  " + TextLayout.pad(r.relevance.map(String.init) ?? "–", to: 3, alignRight: true)
            if gradeWidth > 0 {
                line +=
                    "  "
                    + keys.map { key -> String in
                        let grade = r.score(for: key)?.grade
                        return grade.map { (1...9).contains($0) ? style.grade($0) : "?" } ?? style.grade(nil)
                    }.joined(separator: " ")
            }
            if showHQ { line += "  " + TextLayout.pad(TextLayout.safe(r.headquarters ?? ""), to: hq) }
            if showSize { line += "  " + TextLayout.safe(r.employeeCount?.rawValue ?? "") }
            lines.append(trimRight(line))
        }
        if !keys.isEmpty {
            let names = keys.enumerated().map { i, key in
                "\(i + 1) " + TextLayout.safe(criteria.first { $0.key == key }?.name ?? key)
            }
            lines.append(style.dim(TextLayout.truncate("grades: " + names.joined(separator: " · "), to: width)))
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
