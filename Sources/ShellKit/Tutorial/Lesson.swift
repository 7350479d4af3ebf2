import DeepSearch
import FoundationEssentials
import POSIXSupport

/// A lesson of the tutorial: what to say, and the steps a learner types, each with the command
/// it asks for and the check that proves it worked.
///
/// The file format is the script language's lines with a directive first:
///
/// ```
/// lesson first-steps                  # its name: lower-case letters, digits, dashes
/// title First steps
/// about One line for the list of lessons.
/// say Text shown to the learner (say alone: an empty line).
/// run set poll_interval 0.5           # run quietly before the next step is shown
/// step use $done_task                 # what the learner types next
/// check status == done                # optional: an expect that must hold afterwards
/// hint use takes a task id            # optional: shown after a miss
/// ```
///
/// `say` and `run` lines belong to the step that follows them; those after the last step are
/// said when the lesson is done. `#` starts a comment line.
public struct Lesson: Sendable, Hashable {
    /// Something the lesson does before a step is asked for.
    public enum Action: Sendable, Hashable {
        case say(String)
        case run(String, line: Int)
    }

    public struct Step: Sendable, Hashable {
        public var before: [Action]
        /// The command the learner is asked to type, as written (variables unexpanded).
        public var command: String
        public var line: Int
        /// An `expect` expression that must hold after the command.
        public var check: String?
        public var hint: String?
    }

    public var name: String
    public var title: String
    public var about: String
    public var steps: [Step]
    /// Said when the last step is done.
    public var closing: [Action]
    /// The file as written.
    public var source: String
    /// Where it was read from (nil: shipped with the shell).
    public var path: String?

    /// A lesson file that cannot be used: where and why.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var description: String { message }
    }

    static let directives = ["lesson", "title", "about", "say", "run", "step", "check", "hint"]

    /// Parses a lesson; `knows` tells whether a command name exists (steps must name one).
    public static func parse(_ source: String, path: String? = nil, knows: (String) -> Bool) throws(Problem) -> Lesson {
        var name: String?
        var title: String?
        var about = ""
        var steps: [Step] = []
        var pending: [Action] = []
        /// Whether `check` and `hint` may follow (the last directive was a step, check or hint).
        var afterStep = false
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var text = Substring(raw)
            if text.last == "\r" { text = text.dropLast() }
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let directive = String(trimmed.prefix { $0 != " " && $0 != "\t" })
            var rest = trimmed.dropFirst(directive.count)
            if rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() }
            let argument = String(rest)
            func need(_ what: String) throws(Problem) {
                if argument.trimmingSpaces.isEmpty { throw Problem(line: number, message: "\(directive) needs \(what)") }
            }
            switch directive {
            case "lesson":
                try need("a name")
                guard argument.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                    throw Problem(line: number, message: "a lesson's name is lower-case letters, digits and dashes, not '\(argument)'")
                }
                name = argument
            case "title":
                try need("text")
                title = argument.trimmingSpaces
            case "about":
                try need("text")
                about = argument.trimmingSpaces
            case "say":
                pending.append(.say(argument))
                afterStep = false
            case "run":
                try need("a command")
                try checkCommand(argument, line: number, knows: knows)
                pending.append(.run(argument, line: number))
                afterStep = false
            case "step":
                try need("the command the learner types")
                try checkCommand(argument, line: number, knows: knows)
                steps.append(Step(before: pending, command: argument.trimmingSpaces, line: number))
                pending = []
                afterStep = true
            case "check", "hint":
                guard afterStep, !steps.isEmpty else { throw Problem(line: number, message: "\(directive) belongs right after a step") }
                try need(directive == "check" ? "an expect expression (status == done)" : "text")
                if directive == "check" {
                    try checkCommand("expect " + argument, line: number, knows: knows)
                    steps[steps.count - 1].check = argument.trimmingSpaces
                } else {
                    steps[steps.count - 1].hint = argument.trimmingSpaces
                }
            default:
                throw Problem(
                    line: number,
                    message:
                        "unknown directive '\(TextLayout.safe(directive))'; a lesson has \(directives.dropLast().joined(separator: ", ")) and hint")
            }
        }
        guard let name else { throw Problem(line: nil, message: "the lesson has no name: begin it with lesson NAME") }
        guard !steps.isEmpty else { throw Problem(line: nil, message: "the lesson has no step: add step COMMAND lines") }
        return Lesson(name: name, title: title ?? name, about: about, steps: steps, closing: pending, source: source, path: path)
    }

    /// A step's or a run's command must split into words and start with a command the shell has.
    private static func checkCommand(_ text: String, line: Int, knows: (String) -> Bool) throws(Problem) {
        let words: [Word]
        do {
            words = try WordSplitter.split(text, resolve: nil)
        } catch {
            throw Problem(line: line, message: error.message)
        }
        var names = words.map(\.text)[...]
        if names.first == "try" { names = names.dropFirst() }
        guard let first = names.first, knows(first) else {
            throw Problem(line: line, message: "'\(TextLayout.safe(names.first ?? text))' is not a command of the shell")
        }
    }

    /// Reads a lesson file.
    public static func load(path: String, knows: (String) -> Bool) throws(Problem) -> Lesson {
        guard let bytes = FileContents.read(path) else {
            throw Problem(
                line: nil,
                message: "cannot read the lesson \(path): \(FileContents.isDirectory(path) == nil ? "no such file" : "not a readable file")")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Problem(line: nil, message: "\(path) is not UTF-8 text") }
        return try parse(text, path: path, knows: knows)
    }

    /// The command name a line starts with, `try` looked through: `try resume 5` → `resume`.
    static func commandName(_ line: String) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let first = words.first.map(String.init)
        return first == "try" ? words.dropFirst().first.map(String.init) : first
    }
}
