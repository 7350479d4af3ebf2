import DeepSearch
import FoundationEssentials
import POSIXSupport

#if canImport(Glibc)
import Glibc
#endif

/// A lesson in progress at the prompt: which step it waits for, how often the learner missed it,
/// and what to put back when it ends.
@MainActor
final class Tutor {
    let lesson: Lesson
    /// Its number among the shipped lessons (nil: loaded from a file).
    let number: Int?
    /// The step the lesson waits for.
    var index: Int
    /// Commands typed for this step that were not it.
    var misses = 0
    /// The session to put back when the lesson ends, when the lesson moved it onto a simulator.
    var savedSession: Session?
    /// A folder of the lesson's own (`$lesson_dir`), for files it writes.
    let directory: String

    init(lesson: Lesson, number: Int?, index: Int, directory: String) {
        self.lesson = lesson
        self.number = number
        self.index = index
        self.directory = directory
    }

    /// `2`, or the name of a lesson read from a file.
    var label: String { number.map(String.init) ?? lesson.name }
    var step: Lesson.Step { lesson.steps[index] }
    var isFinished: Bool { index >= lesson.steps.count }

    /// For the prompt: `lesson 2 · 3/6 ` (`2·3/6 ` on a narrow terminal).
    var promptLesson: Prompt.Lesson { Prompt.Lesson(label: label, step: "\(min(index + 1, lesson.steps.count))/\(lesson.steps.count)") }

    /// How a typed line relates to the step.
    enum Verdict: Equatable {
        /// The step's command: run it, then judge it by the step's check.
        case attempt
        /// Another command that only reads: run it, then a hint.
        case harmless
        /// Another command that would change what the lesson relies on (create, resume, use…):
        /// not run.
        case refused
        /// The step's command with other values, where the steps after count on these ones
        /// (`resume 40` when the step is `resume 30`): not run, the exact line shown.
        case refusedVariant
        /// Help for the lesson or the shell (`help`, `tutorial`, `exit`): run it, no miss.
        case aside
    }

    /// Commands that change things on the API or on disk: not run when they are not the step, and
    /// only as the step has them when they are.
    static let consequential: Set<String> = ["create", "resume", "raw", "export", "record", "source", "token"]
    /// Commands that change the session a lesson relies on (the current task): not run when they
    /// are not the step; as the step, run and judged by its check.
    static let redirecting: Set<String> = ["use"]
    static let asides: Set<String> = ["help", "tutorial", "exit", "quit", "history", "clear"]

    /// Judges `line` against the step; `canonical` maps an alias to its command's name, `words`
    /// splits a line as the shell does (variables expanded; nil when it cannot).
    func verdict(for line: String, canonical: (String) -> String?, words: (String) -> [String]? = { _ in nil }) -> Verdict {
        // An unknown command runs too: the shell says what it may have meant.
        guard let typed = Lesson.commandName(line).flatMap(canonical) else { return .harmless }
        if Self.asides.contains(typed) { return .aside }
        let expected = Lesson.commandName(step.command).flatMap(canonical)
        if typed == expected {
            guard Self.consequential.contains(typed) else { return .attempt }
            return Self.sameValues(words(line), words(step.command)) ? .attempt : .refusedVariant
        }
        return Self.consequential.contains(typed) || Self.redirecting.contains(typed) ? .refused : .harmless
    }

    /// Whether two command lines ask for the same thing: the same words after `try`, a task id
    /// typed in part matching the whole one, a query in quotes or not (create joins its words).
    static func sameValues(_ typed: [String]?, _ expected: [String]?) -> Bool {
        guard var typed, var expected else { return false }
        if typed.first == "try" { typed.removeFirst() }
        if expected.first == "try" { expected.removeFirst() }
        let a = typed.joined(separator: " ").split(separator: " ").map(String.init)
        let b = expected.joined(separator: " ").split(separator: " ").map(String.init)
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { typed, expected in
            typed == expected || (TaskIDs.isWholeID(expected) && typed.count >= 4 && expected.hasPrefix(typed.lowercased()))
        }
    }

    /// Makes the lesson's folder (`$TMPDIR/extruct-lesson-XXXXXX`).
    static func makeDirectory() -> String {
        makeTemporaryFolder(prefix: "extruct-lesson") ?? Environment.value("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }
}
