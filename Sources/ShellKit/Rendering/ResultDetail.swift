import DeepSearch

/// `show N`: one result in full.
public enum ResultDetail {
    public static func render(_ r: DiscoveryResult, rank: Int, criteria: [Criterion], width: Int, style: Style) -> String {
        let body = max(30, width - 4)
        var lines: [String] = []
        lines.append(style.bold(TextLayout.truncate("#\(rank)  \(TextLayout.safe(r.companyName))", to: max(20, width))))
        if let site = r.companyWebsite { lines.append("    " + style.blue(TextLayout.truncate(TextLayout.safe(site), to: body))) }
        var facts: [String] = []
        if let relevance = r.relevance { facts.append("relevance \(relevance)") }
        if let source = r.source { facts.append(TextLayout.safe(source.rawValue)) }
        if let size = r.employeeCount { facts.append("\(TextLayout.safe(size.rawValue)) employees") }
        if let year = r.foundingYear { facts.append("founded \(year)") }
        if let hq = r.headquarters { facts.append(TextLayout.safe(hq)) }
        if !facts.isEmpty { lines += TextLayout.wrap(facts.joined(separator: " · "), to: body).map { "    " + $0 } }
        if let profile = r.companyProfileID {
            // An id is never cut: on its own line when the two do not fit on one.
            let id = TextLayout.safe(profile)
            if 4 + 8 + TextLayout.width(id) < width {
                lines.append("    " + style.dim("profile \(id)"))
            } else {
                lines += ["    " + style.dim("profile"), "    " + style.dim(id)]
            }
        }
        for text in [r.companyDescription, r.companyFullDescription, r.justification].compactMap({ $0 }) where !text.isEmpty {
            lines.append("")
            for paragraph in text.split(separator: "\n", omittingEmptySubsequences: true) {
                lines += TextLayout.wrap(TextLayout.safe(String(paragraph)), to: body).map { "  " + $0 }
            }
        }
        let keys =
            criteria.isEmpty ? r.scores.map(\.key) : criteria.map(\.key) + r.scores.map(\.key).filter { k in !criteria.contains { $0.key == k } }
        if !keys.isEmpty {
            lines.append("")
            lines.append(style.dim("  criteria"))
            for key in keys {
                let score = r.score(for: key)
                let name = criteria.first { $0.key == key }?.name ?? key
                let grade = "    " + style.grade(score?.grade) + "  "
                let nameRoom = width - 1 - TextLayout.visibleWidth(grade)
                lines.append(
                    TextLayout.first(
                        fitting: width - 1,
                        [
                            grade + style.bold(TextLayout.safe(name)) + style.dim("  (\(TextLayout.safe(key)))"),
                            grade + style.bold(TextLayout.truncate(TextLayout.safe(name), to: nameRoom)),
                        ]))
                if let explanation = score?.explanation, !explanation.isEmpty {
                    lines += TextLayout.wrap(TextLayout.safe(explanation), to: body - 3).map { "       " + $0 }
                }
                for source in score?.sources ?? [] {
                    lines.append("       " + style.dim("↳ " + TextLayout.truncate(TextLayout.safe(source), to: body - 5)))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
