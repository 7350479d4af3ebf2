import Foundation

/// Printed output as the docs show it, compared line by line with what a run printed.
///
/// The only wildcard is `…`, which the docs already use for "left out": alone on a line it stands
/// for any number of lines (none too), inside a line for any text. Everything else must be as
/// printed, so a changed word of output fails the check. Trailing spaces are not compared.
struct OutputPattern: Sendable {
    var lines: [String]

    init(_ lines: [String]) {
        self.lines = lines.map(Self.trimmed)
    }

    static let wildcard = "…"

    /// Whether pattern line `line` stands for any number of lines.
    static func isLineWildcard(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces) == wildcard }

    /// Whether `actual` (lines a run printed) matches.
    func matches(_ actual: [String]) -> Bool {
        align(actual.map(Self.trimmed)).cost == 0
    }

    /// The lines a rewrite puts in place of the pattern: the pattern's own lines where they
    /// match (so their wildcards stay), what the run printed where they do not. See ``anchored(_:)``.
    func rewritten(for actual: [String]) -> [String] {
        let trimmed = actual.map(Self.trimmed)
        return anchored(trimmed).map { step in
            switch step {
            case .match(let p, _), .wildcard(let p, _): lines[p]
            case .insert(_, let a): trimmed[a]
            case .drop: nil
            }
        }.compactMap { $0 }.reduce(into: [String]()) { out, line in
            // A line wildcard that took several lines is written once.
            if Self.isLineWildcard(line), out.last.map(Self.isLineWildcard) == true { return }
            out.append(line)
        }
    }

    /// The first pattern line that does not match, with what was printed there (for an error).
    func firstDifference(_ actual: [String]) -> (patternLine: Int, expected: String?, printed: String?)? {
        let trimmed = actual.map(Self.trimmed)
        for step in anchored(trimmed) {
            switch step {
            case .drop(let p): return (p, lines[p], nil)
            case .insert(let p, let a): return (p, p < lines.count ? lines[p] : nil, trimmed[a])
            case .match, .wildcard: continue
            }
        }
        return nil
    }

    /// The pattern beside what was printed, as a diff: `  ` a line that matches, `- ` a line of
    /// the docs not printed, `+ ` a printed line the docs do not show.
    func diff(_ actual: [String]) -> [String] {
        let trimmed = actual.map(Self.trimmed)
        var out: [String] = []
        for step in anchored(trimmed) {
            switch step {
            case .match(_, let a): out.append("  " + trimmed[a])
            case .wildcard(let p, _): if out.last != "  " + lines[p] { out.append("  " + lines[p]) }
            case .drop(let p): out.append("- " + lines[p])
            case .insert(_, let a): out.append("+ " + trimmed[a])
            }
        }
        return out
    }

    /// An alignment for people (a diff, a rewrite): the longest run of pattern lines that match
    /// printed lines in order are the anchors; between two anchors, a pattern of nothing but one
    /// line wildcard keeps its place, anything else is replaced by what was printed there. So
    /// a wildcard survives where what surrounds it still matches, and never swallows output it
    /// was not written for.
    func anchored(_ actual: [String]) -> [Step] {
        let literal = lines.indices.filter { !Self.isLineWildcard(lines[$0]) }
        let p = literal.count
        let a = actual.count
        var best = Array(repeating: Array(repeating: 0, count: a + 1), count: p + 1)
        for i in stride(from: p - 1, through: 0, by: -1) {
            for j in stride(from: a - 1, through: 0, by: -1) {
                best[i][j] =
                    Self.lineMatches(lines[literal[i]], actual[j]) ? best[i + 1][j + 1] + 1 : max(best[i + 1][j], best[i][j + 1])
            }
        }
        var anchors: [(Int, Int)] = []
        var i = 0
        var j = 0
        while i < p, j < a {
            if Self.lineMatches(lines[literal[i]], actual[j]), best[i][j] == best[i + 1][j + 1] + 1 {
                anchors.append((literal[i], j))
                i += 1
                j += 1
            } else if best[i + 1][j] >= best[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        var steps: [Step] = []
        var lastPattern = -1
        var lastActual = -1
        for (pattern, printed) in anchors + [(lines.count, actual.count)] {
            let gap = Array((lastPattern + 1)..<pattern)
            let printedGap = Array((lastActual + 1)..<printed)
            if gap.count == 1, Self.isLineWildcard(lines[gap[0]]) {
                steps.append(.wildcard(gap[0], printedGap.first ?? printed))
            } else {
                for line in gap { steps.append(.drop(line)) }
                for line in printedGap { steps.append(.insert(patternLine: pattern, line)) }
            }
            if pattern < lines.count { steps.append(.match(pattern, printed)) }
            lastPattern = pattern
            lastActual = printed
        }
        return steps
    }

    /// One step of an alignment of the pattern with the printed lines.
    enum Step {
        case match(Int, Int)
        case wildcard(Int, Int)
        case drop(Int)
        /// A printed line not in the pattern, before pattern line `patternLine`.
        case insert(patternLine: Int, Int)
    }

    /// The cheapest alignment: a pattern line matched by a printed line costs nothing, a
    /// line wildcard takes any number of printed lines for nothing, a pattern line left over or a
    /// printed line not in the pattern costs one each.
    private func align(_ actual: [String]) -> (cost: Int, steps: [Step], lines: [String]) {
        let p = lines.count
        let a = actual.count
        // cost[i][j]: the cheapest alignment of pattern[i...] with actual[j...].
        var cost = Array(repeating: Array(repeating: Int.max / 2, count: a + 1), count: p + 1)
        cost[p][a] = 0
        for j in stride(from: a - 1, through: 0, by: -1) { cost[p][j] = cost[p][j + 1] + 1 }
        for i in stride(from: p - 1, through: 0, by: -1) {
            let wild = Self.isLineWildcard(lines[i])
            cost[i][a] = cost[i + 1][a] + (wild ? 0 : 1)
            for j in stride(from: a - 1, through: 0, by: -1) {
                if wild {
                    cost[i][j] = min(cost[i + 1][j], cost[i][j + 1])
                } else {
                    var best = min(cost[i + 1][j] + 1, cost[i][j + 1] + 1)
                    if Self.lineMatches(lines[i], actual[j]) { best = min(best, cost[i + 1][j + 1]) }
                    cost[i][j] = best
                }
            }
        }
        var steps: [Step] = []
        var out: [String] = []
        var i = 0
        var j = 0
        while i < p || j < a {
            if i < p, Self.isLineWildcard(lines[i]) {
                if j < a, cost[i][j] == cost[i][j + 1] {
                    steps.append(.wildcard(i, j))
                    j += 1
                } else {
                    out.append(lines[i])
                    i += 1
                }
                continue
            }
            if i < p, j < a, Self.lineMatches(lines[i], actual[j]), cost[i][j] == cost[i + 1][j + 1] {
                steps.append(.match(i, j))
                out.append(lines[i])
                i += 1
                j += 1
            } else if j < a, cost[i][j] == cost[i][j + 1] + 1 {
                steps.append(.insert(patternLine: i, j))
                out.append(actual[j])
                j += 1
            } else {
                steps.append(.drop(i))
                i += 1
            }
        }
        return (cost[0][0], steps, out)
    }

    /// Whether one printed line matches one pattern line (`…` inside it for any text).
    static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        guard pattern.contains(wildcard) else { return pattern == line }
        let parts = pattern.components(separatedBy: wildcard)
        var rest = Substring(line)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard !part.isEmpty else { continue }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " || line.last == "\t" || line.last == "\r" { line.removeLast() }
        return line
    }
}
