import Foundation
import ShellKit

/// A Markdown document whose examples are checked.
struct Document: Sendable {
    /// `README.md`, `docs/manual.md`, or `extruct-sim(1)` for a page made by a program.
    var name: String
    var text: String
    /// The command that writes it, for a generated page: never rewritten, and a failing example
    /// is fixed in the code that the page is made from.
    var generatedBy: String?

    var lines: [String] { text.components(separatedBy: "\n") }
}

/// One example: a fenced block, or a command in a code span of the text.
struct Example: Sendable {
    var document: String
    /// The line of the example's first line in the document (1-based).
    var line: Int
    /// The first word of the info string (`sh`, `toml`), empty when there is none.
    var language: String
    /// The rest of the info string: `needs …` marks an example that can only be parsed, and why.
    var note: String
    var lines: [String]
    /// An inline code span rather than a fenced block.
    var isInline = false
    /// The indentation of the fence (a block inside a list item), kept when rewriting.
    var indent = ""

    var place: String { "\(document):\(line)" }

    /// Why the example is only parsed, when its info string says (`sh needs the real API`).
    var parseOnlyReason: String? {
        note.hasPrefix("needs ") ? note : nil
    }
}

/// Finds the examples of a Markdown document: fenced code blocks (``` and ~~~, indented inside
/// list items too) and code spans of the text that hold a command line.
@MainActor
enum Markdown {
    static func examples(in document: Document) -> [Example] {
        var examples: [Example] = []
        let lines = document.lines
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let fence = Fence(line) {
                var body: [String] = []
                var end = index + 1
                while end < lines.count, !fence.closes(lines[end]) {
                    body.append(fence.dedent(lines[end]))
                    end += 1
                }
                examples.append(
                    Example(
                        document: document.name, line: index + 2, language: fence.language, note: fence.note, lines: body, indent: fence.indent))
                index = end + 1
                continue
            }
            for span in codeSpans(line) where Self.isCommandSpan(span) {
                examples.append(Example(document: document.name, line: index + 1, language: "", note: "", lines: [span], isInline: true))
            }
            index += 1
        }
        return examples
    }

    /// A fence line: its indentation, marker, and info string.
    struct Fence {
        var indent: String
        var marker: String
        var language: String
        var note: String

        init?(_ line: String) {
            let indent = String(line.prefix { $0 == " " })
            let rest = line.dropFirst(indent.count)
            guard indent.count < 8, let first = rest.first, first == "`" || first == "~" else { return nil }
            let marker = String(rest.prefix { $0 == first })
            guard marker.count >= 3 else { return nil }
            let info = rest.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
            if first == "`", info.contains("`") { return nil }
            self.indent = indent
            self.marker = marker
            let words = info.split(separator: " ", maxSplits: 1)
            language = words.first.map(String.init) ?? ""
            note = words.count > 1 ? String(words[1]).trimmingCharacters(in: .whitespaces) : ""
        }

        func closes(_ line: String) -> Bool {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix(marker) && trimmed.allSatisfy { $0 == marker.first }
        }

        /// The line without the fence's indentation.
        func dedent(_ line: String) -> String {
            line.hasPrefix(indent) ? String(line.dropFirst(indent.count)) : line.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The code spans of a line of text (single backticks; a double-backtick span is left alone).
    static func codeSpans(_ line: String) -> [String] {
        var spans: [String] = []
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "`") {
            let ticks = rest[open...].prefix { $0 == "`" }.count
            let afterOpen = rest.index(open, offsetBy: ticks)
            let delimiter = String(repeating: "`", count: ticks)
            guard let close = rest[afterOpen...].range(of: delimiter) else { break }
            if ticks == 1 { spans.append(String(rest[afterOpen..<close.lowerBound])) }
            rest = rest[close.upperBound...]
        }
        return spans
    }

    /// Whether a code span of the text is a command line worth parsing: one of the programs
    /// with arguments, or a command of the shell with arguments (a lone word is a name).
    static func isCommandSpan(_ span: String) -> Bool {
        let words = span.split(separator: " ")
        guard words.count >= 2, let first = words.first.map(String.init) else { return false }
        if Programs.isOurs(first) {
            // A command line gives an option or a file; `extruct-sim listening on URL` is a
            // line of its output.
            return first.hasPrefix("scripts/") || words.dropFirst().contains { $0.hasPrefix("-") || $0.contains(".") || $0.contains("/") }
        }
        return CommandRegistry.standard.command(named: first) != nil || first == "try"
    }
}
