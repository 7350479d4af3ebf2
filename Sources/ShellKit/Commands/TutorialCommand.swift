#if canImport(Glibc)
import Glibc
#endif

/// `tutorial [N|NAME|FILE|stop|print N|reset]`: the guided lessons.
struct TutorialCommand: ShellCommand {
    static let spec = CommandSpec(
        "tutorial", synopsis: "tutorial [N | NAME | FILE | continue | stop | print N | reset]",
        abstract: "List the lessons, or start one (N, its name, or a lesson file); continue goes on where you left off.",
        discussion: """
            A lesson explains a step and waits for you to type it; the prompt shows the lesson and the step \
            (lesson 2 · 3/6). hint shows the command, skip runs it for you, tutorial stop or Ctrl-D leaves, and \
            tutorial N goes on where you left it; tutorial continue (or tutorial resume) goes on with the lesson \
            you were in last, or the first one not done. Lessons run on the built-in simulator, never on the API. \
            print N shows a lesson as a file, to write your own from; reset forgets your progress.
            """,
        examples: ["tutorial", "tutorial 1", "tutorial continue", "tutorial ./our-onboarding.lesson", "tutorial stop"],
        positionals: 0...2, positionalCompletion: .file, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let words = arguments.positionals.map(\.text)
        let knows: (String) -> Bool = { CommandRegistry.standard.command(named: $0) != nil }
        guard let first = words.first else { return list(context) }
        switch first {
        case "stop":
            guard words.count == 1 else { throw CommandFailure.usage("tutorial stop takes nothing more") }
            context.effects.tutorial = .stop
        case "reset":
            guard words.count == 1 else { throw CommandFailure.usage("tutorial reset takes nothing more") }
            try TutorialProgress().save(path: context.environment.tutorialProgressPath)
            context.console.out("progress forgotten: every lesson starts at its first step")
        case "continue", "resume":
            guard words.count == 1 else { throw CommandFailure.usage("tutorial \(first) takes nothing more") }
            guard let (lesson, number) = next(progressPath: context.environment.tutorialProgressPath) else {
                context.console.out("Every lesson is done. tutorial N plays one again; tutorial lists them.")
                return
            }
            guard !context.environment.isPlayback, context.console.inputIsTerminal else {
                throw CommandFailure.usage("a lesson waits for you to type at the prompt; run extruct-shell --tutorial on a terminal")
            }
            context.effects.tutorial = .start(lesson, number: number)
        case "print":
            guard words.count == 2 else { throw CommandFailure.usage("tutorial print takes a lesson: tutorial print 1") }
            let (lesson, _) = try resolve(words[1], knows: knows)
            context.console.out(lesson.source.hasSuffix("\n") ? String(lesson.source.dropLast()) : lesson.source)
        default:
            guard words.count == 1 else { throw CommandFailure.usage("tutorial takes one lesson: a number, a name or a file") }
            let (lesson, number) = try resolve(first, knows: knows)
            guard !context.environment.isPlayback, context.console.inputIsTerminal else {
                throw CommandFailure.usage("a lesson waits for you to type at the prompt; run extruct-shell --tutorial on a terminal")
            }
            context.effects.tutorial = .start(lesson, number: number)
        }
    }

    /// Where `tutorial continue` goes on: the lesson started last if it is not done, else the
    /// first lesson not done (nil: every lesson is done).
    static func next(progressPath: String) -> (Lesson, Int)? {
        let progress = TutorialProgress.load(path: progressPath)
        let shipped = ShippedLessons.lessons
        if let last = progress.last, let index = shipped.firstIndex(where: { $0.name == last }), progress.lessons[last]?.done != true {
            return (shipped[index], index + 1)
        }
        guard let index = shipped.firstIndex(where: { progress.lessons[$0.name]?.done != true }) else { return nil }
        return (shipped[index], index + 1)
    }

    /// A shipped lesson by number or name, else a lesson file.
    static func resolve(_ word: String, knows: (String) -> Bool) throws(CommandFailure) -> (Lesson, Int?) {
        let shipped = ShippedLessons.lessons
        if let number = Int(word) {
            guard (1...shipped.count).contains(number) else {
                throw .usage("there are lessons 1 to \(shipped.count), not \(number); tutorial lists them")
            }
            return (shipped[number - 1], number)
        }
        if let index = shipped.firstIndex(where: { $0.name == word }) { return (shipped[index], index + 1) }
        guard word.contains("/") || word.contains(".") else {
            throw .usage("no lesson called '\(TextLayout.safe(word))'; tutorial lists them (a lesson file is given by its path)")
        }
        do {
            return (try Lesson.load(path: Environment.expandingTilde(word), knows: knows), nil)
        } catch {
            throw .syntax((error.line.map { "\(word):\($0): " } ?? "") + error.message)
        }
    }

    /// The lessons, one line each, with how far the learner got.
    static func list(_ context: CommandContext) {
        let progress = TutorialProgress.load(path: context.environment.tutorialProgressPath)
        let style = context.style
        let lessons = ShippedLessons.lessons
        let titleWidth = lessons.map { TextLayout.width($0.title) }.max() ?? 0
        for (index, lesson) in lessons.enumerated() {
            let entry = progress.lessons[lesson.name]
            let state: String
            if entry?.done == true {
                state = style.green("done")
            } else if let step = entry?.step, step > 0 {
                state = style.yellow("at step \(step + 1) of \(lesson.steps.count)")
            } else {
                state = style.dim("\(lesson.steps.count) steps")
            }
            let number = TextLayout.pad(String(index + 1), to: 3, alignRight: true)
            // In columns when they fit; else the title, cut if need be, and its state after it.
            let stateWidth = TextLayout.visibleWidth(state)
            let title =
                5 + titleWidth + 2 + 20 < context.width
                ? TextLayout.pad(lesson.title, to: titleWidth) : TextLayout.truncate(lesson.title, to: context.width - 1 - 5 - 2 - stateWidth)
            context.console.out("\(number)  \(style.bold(title))  \(state)")
            if !lesson.about.isEmpty { context.console.out("     " + TextLayout.truncate(lesson.about, to: max(20, context.width - 5))) }
        }
        let footer = "tutorial N starts lesson N (or goes on where you left it); tutorial continue goes on; tutorial stop leaves."
        for line in TextLayout.wrap(footer, to: context.width - 1) { context.console.out(style.dim(line)) }
    }
}
