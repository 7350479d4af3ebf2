/// What checking one example found.
struct Outcome: Sendable {
    /// How far the example was taken.
    enum Depth: String, Sendable, Comparable {
        /// Parsed by the programs' parsers and readers, not run.
        case parsed
        /// Run, its exit status checked (no output shown to compare).
        case ran
        /// Run, and what it printed compared with what the docs show.
        case compared

        static func < (a: Depth, b: Depth) -> Bool {
            let order: [Depth] = [.parsed, .ran, .compared]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// A problem with the example, at a line of it (0-based), or the whole.
    struct Problem: Sendable {
        var line: Int?
        var message: String
    }

    var depth: Depth
    /// Why it was only parsed, when it was.
    var parseOnlyBecause: String?
    var problems: [Problem] = []
    /// The lines of the example that were checked, by index: the rest must be blank or
    /// comments.
    var checked: Set<Int> = []
    /// In update mode: the example's lines as they should read after an intended change.
    var rewrite: [String]?
    /// What a run printed, beside the lines of the example it was compared with.
    var comparisons: [Comparison] = []

    /// Lines of the example (`lines`, by index) and what the run printed in their place.
    struct Comparison: Sendable {
        var lines: Range<Int>
        var printed: [String]
    }

    init(depth: Depth, parseOnlyBecause: String? = nil, problems: [Problem] = [], checked: Set<Int> = [], rewrite: [String]? = nil) {
        self.depth = depth
        self.parseOnlyBecause = parseOnlyBecause
        self.problems = problems
        self.checked = checked
        self.rewrite = rewrite
    }

    var passed: Bool { problems.isEmpty }

    mutating func fail(_ message: String, at line: Int? = nil) {
        problems.append(Problem(line: line, message: message))
    }
}
