import DeepSearch
import FoundationEssentials

/// What `tutorial` asked of the prompt: a lesson to start, or the current one to leave.
enum TutorialRequest {
    case start(Lesson, number: Int?)
    case stop
}

/// The lessons at the prompt: starts and leaves them (on a simulator, the learner's session put
/// aside), judges each line typed during a step (``turn(_:)``), runs the lesson's own commands
/// quietly, and keeps the learner's progress. The shell hands it the lines typed while a lesson
/// is in progress.
@MainActor
final class Tutoring: ShellCapability {
    unowned let shell: Shell
    /// The lesson in progress, if any.
    private(set) var tutor: Tutor?

    init(shell: Shell) {
        self.shell = shell
    }

    /// Whether a lesson is in progress.
    var isInLesson: Bool { tutor != nil }

    /// Acts on what a `tutorial` command asked, after it ran at the prompt.
    func handleRequest() async {
        guard let request = environment.takeTutorialRequest() else { return }
        switch request {
        case .stop:
            leaveLesson(finished: false)
        case .start(let lesson, let number):
            if tutor != nil { leaveLesson(finished: false) }
            await beginLesson(lesson, number: number)
        }
    }

    /// Starts `lesson` where the learner left it: on a simulator (one is started if the session is
    /// not on one, and the session comes back afterwards), steps already done played again quietly
    /// so the session is as it was, then the step it waits for.
    private func beginLesson(_ lesson: Lesson, number: Int?) async {
        let progress = TutorialProgress.load(path: environment.tutorialProgressPath)
        let entry = progress.lessons[lesson.name]
        let resumeAt = (entry?.done ?? true) ? 0 : min(entry?.step ?? 0, lesson.steps.count - 1)
        let tutor = Tutor(lesson: lesson, number: number, index: resumeAt, directory: Tutor.makeDirectory())
        let style = Style(enabled: environment.console.colorOnError(session.settings))
        // Lessons run on the built-in simulator (`--demo`, `--tutorial`, or one started here).
        if session.apiURL != environment.simulatorURL {
            guard let start = environment.options.startSimulator else {
                environment.console.err(
                    ErrorPresenter.line(
                        for: CommandFailure.usage(
                            "a lesson runs on the built-in simulator, which this shell cannot start; run extruct-shell --tutorial")))
                return
            }
            let url: String
            do {
                url = try await start()
            } catch {
                environment.console.err(ErrorPresenter.line(for: CommandFailure.local("the lesson's simulator could not start: \(error)")))
                return
            }
            environment.simulatorURL = url
            tutor.savedSession = session
            var lessonSession = Session(apiURL: url, apiURLOrigin: "the tutorial", token: "demo", tokenOrigin: "the tutorial's simulator")
            lessonSession.settings = session.settings
            session = lessonSession
            environment.console.err(
                style.dim(
                    "This lesson runs on a simulator of the API at \(url): nothing leaves this machine. Your session on \(tutor.savedSession!.apiURL) comes back when it ends."
                ))
        }
        session.variables["lesson_dir"] = tutor.directory
        self.tutor = tutor
        saveProgress(tutor, done: false)
        let title = "Lesson \(tutor.label) · \(lesson.title) · \(lesson.steps.count) steps"
        environment.console.err(
            style.bold(TextLayout.first(fitting: environment.console.terminalWidth - 1, [title, "Lesson \(tutor.label) · \(lesson.title)"])))
        shell.say("hint shows the command a step asks for, skip does it for you, tutorial stop or Ctrl-D leaves the lesson")
        if resumeAt > 0 {
            shell.say("Going on at step \(resumeAt + 1), where you left it: the steps before are played again quietly.")
            for step in lesson.steps[..<resumeAt] {
                for case .run(let command, _) in step.before { _ = await quietly(command) }
                _ = await quietly(step.command)
            }
        }
        await introduceStep()
    }

    /// Shows the step the lesson waits for: its `run` lines done quietly, its `say` lines said
    /// (a paragraph of them wrapped to the terminal's width, their variables filled in).
    private func introduceStep() async {
        guard let tutor, !tutor.isFinished else { return }
        var paragraph: [String] = []
        for action in tutor.step.before {
            switch action {
            case .say(let text):
                if text.trimmingSpaces.isEmpty {
                    // `say` alone: the paragraph ends, and an empty line follows it.
                    tell(paragraph)
                    paragraph = []
                    environment.console.err("")
                } else if text.hasPrefix("  ") {
                    // Indented: a line to show as it is (a command to type), never broken.
                    tell(paragraph)
                    paragraph = []
                    environment.console.err(expandingVariables(text))
                } else {
                    paragraph.append(text)
                }
            case .run(let command, let line):
                tell(paragraph)
                paragraph = []
                if await quietly(command) != ExitStatus.success {
                    environment.console.err(
                        ErrorPresenter.line(
                            for: CommandFailure.local("the lesson's own command failed: \(command)"),
                            place: "\(tutor.lesson.path ?? tutor.lesson.name):\(line)"))
                }
            }
        }
        tell(paragraph)
    }

    /// A line of the tutor's (which may be coloured), wrapped at spaces when the terminal is
    /// narrower than it.
    private func advise(_ text: String) {
        for line in TextLayout.wrapStyled(text, to: environment.console.lineColumns) { environment.console.err(line) }
    }

    /// A command to type, after `label`: on the label's line when both fit, else on a line of its
    /// own, never broken (a line copied from the screen must be the whole command).
    private func adviseCommand(_ label: String, _ command: String) {
        let line = label + " " + command
        if TextLayout.visibleWidth(line) <= environment.console.terminalWidth - 1 {
            environment.console.err(line)
        } else {
            environment.console.err(label)
            environment.console.err(command)
        }
    }

    /// Says a paragraph of a lesson: its lines joined, their variables filled in, wrapped at words
    /// to the terminal's width.
    func tell(_ paragraph: [String]) {
        guard !paragraph.isEmpty else { return }
        let text = expandingVariables(paragraph.map(\.trimmingSpaces).joined(separator: " "))
        for line in TextLayout.wrap(text, to: environment.console.lineColumns) { environment.console.err(line) }
    }

    /// A line typed while a lesson waits for a step.
    func turn(_ line: String) async {
        guard let tutor else { return }
        let style = Style(enabled: environment.console.colorOnError(session.settings))
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words == ["hint"] {
            adviseCommand(style.yellow("type:"), expandedStepCommand())
            return
        }
        if words == ["skip"] {
            environment.console.err(style.dim("skipped; the lesson runs it for you:"))
            environment.console.err(shell.promptLayout(forEditor: false)(environment.console.terminalWidth) + expandedStepCommand())
            var working = session
            _ = await shell.execute(tutor.step.command, place: nil, session: &working)
            session = working
            await advance()
            return
        }
        let registry = environment.registry
        let resolve = shell.resolver(for: session)
        let verdict = tutor.verdict(
            for: line, canonical: { registry.command(named: $0)?.spec.name },
            words: { try? WordSplitter.split($0, resolve: resolve).map(\.text) })
        var working = session
        switch verdict {
        case .aside:
            _ = await shell.execute(line, place: nil, session: &working)
            session = working
        case .attempt:
            let status = await shell.execute(line, place: nil, session: &working)
            session = working
            if status == ExitStatus.interrupted {
                // Ctrl-C (say, in watch) is no miss: the step is done if its check holds anyway.
                if await checkHolds() {
                    environment.console.err(style.green("✓"))
                    await advance()
                } else {
                    let check = tutor.step.check.map { " (\($0))" } ?? ""
                    tell(["Stopped. The step is done when its check holds\(check); type \(expandedStepCommand()) again to go on."])
                }
            } else if status == ExitStatus.success, await checkHolds() {
                environment.console.err(style.green("✓"))
                await advance()
            } else {
                miss(style: style, reason: nil)
            }
        case .harmless:
            // It runs, but it is not the step: a recording the lesson makes does not keep it, and
            // the step's check still sees the answer it would have seen (`expect` reads the last).
            shell.recordingPaused = true
            _ = await shell.execute(line, place: nil, session: &working)
            shell.recordingPaused = false
            (working.lastResponse, working.lastHTTPStatus) = (session.lastResponse, session.lastHTTPStatus)
            session = working
            miss(style: style, reason: nil)
        case .refused:
            let name = Lesson.commandName(line).map { "'\(TextLayout.safe($0))'" } ?? "that"
            let why =
                Tutor.redirecting.contains(Lesson.commandName(line) ?? "")
                ? "the lesson relies on the current task" : "it would change things the lesson relies on"
            miss(style: style, reason: "\(name) is not run during this step: \(why).")
        case .refusedVariant:
            miss(
                style: style, reason: "Not run: the steps after this one count on the values it asks for.",
                exact: true)
        }
    }

    /// Whether the step's check holds now (an `expect`, run quietly); true without one.
    private func checkHolds() async -> Bool {
        guard let check = tutor?.step.check else { return true }
        return await quietly("expect " + check) == ExitStatus.success
    }

    /// A line that was not the step: the reason, if any, then a hint; the whole line the step
    /// asks for after a second miss, or at once when only exact values will do.
    private func miss(style: Style, reason: String?, exact: Bool = false) {
        guard let tutor else { return }
        tutor.misses += 1
        if let reason { advise(style.yellow(reason)) }
        if tutor.misses >= 2 || exact {
            adviseCommand(style.yellow("This step asks for:"), expandedStepCommand())
        } else {
            let hint =
                tutor.step.hint.map(expandingVariables)
                ?? "This step asks for \(Lesson.commandName(tutor.step.command) ?? "another command"); hint shows the whole line."
            advise(style.yellow("hint: ") + hint)
        }
    }

    /// Moves to the next step (saving progress), or finishes the lesson.
    private func advance() async {
        guard let tutor else { return }
        tutor.index += 1
        tutor.misses = 0
        saveProgress(tutor, done: tutor.isFinished)
        if tutor.isFinished {
            tell(tutor.lesson.closing.compactMap { if case .say(let text) = $0 { text } else { nil } }.filter { !$0.trimmingSpaces.isEmpty })
            for case .run(let command, _) in tutor.lesson.closing { _ = await quietly(command) }
            let style = Style(enabled: environment.console.colorOnError(session.settings))
            var done = "✓ Lesson \(tutor.label) done: \(tutor.lesson.title)."
            let shipped = ShippedLessons.lessons
            if let number = tutor.number, number < shipped.count {
                done += " Next: tutorial \(number + 1) (\(shipped[number].title))."
            } else if tutor.number != nil {
                done += " That was the last lesson: tutorial lists them all."
            }
            advise(style.green(done))
            leaveLesson(finished: true)
        } else {
            await introduceStep()
        }
    }

    /// Ends the lesson: the session it replaced comes back; progress stays for `tutorial N`.
    func leaveLesson(finished: Bool) {
        guard let tutor else { return }
        self.tutor = nil
        if let saved = tutor.savedSession { session = saved } else { session.variables["lesson_dir"] = nil }
        if !finished {
            let style = Style(enabled: environment.console.colorOnError(session.settings))
            environment.console.err(
                style.dim(
                    "Left lesson \(tutor.label) at step \(tutor.index + 1) of \(tutor.lesson.steps.count); tutorial \(tutor.label) goes on from there."
                ))
        }
    }

    private func saveProgress(_ tutor: Tutor, done: Bool) {
        let path = environment.tutorialProgressPath
        var progress = TutorialProgress.load(path: path)
        if tutor.number != nil { progress.last = tutor.lesson.name }
        let before = progress.lessons[tutor.lesson.name]
        progress.lessons[tutor.lesson.name] = .init(step: done ? tutor.lesson.steps.count : tutor.index, done: done || (before?.done ?? false))
        do {
            try progress.save(path: path)
        } catch {
            environment.console.err("warning: \(error)")
        }
    }

    /// Runs `line` on the session with nothing shown, and nothing recorded by `record`; returns
    /// its status.
    private func quietly(_ line: String) async -> Int32 {
        var working = session
        shell.recordingPaused = true
        let status = await environment.console.muted { await shell.execute(line, place: nil, session: &working) }
        shell.recordingPaused = false
        session = working
        return status
    }

    /// The step's command with its variables filled in, as the learner would type it.
    private func expandedStepCommand() -> String {
        guard let tutor else { return "" }
        return expandingVariables(tutor.step.command)
    }

    /// `text` with its `$NAME` and `${NAME}` filled in by the shell's own resolver (a name it
    /// does not know is left as written).
    func expandingVariables(_ text: String) -> String {
        let resolve = shell.resolver(for: session)
        return text.replacing(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/) { match in
            resolve(String(match.output.1)) ?? String(match.output.0)
        }
    }
}

extension ShippedLessons {
    /// The shipped lessons, parsed (a test proves each parses).
    @MainActor static let lessons: [Lesson] = sources.compactMap { source in
        try? Lesson.parse(source) { CommandRegistry.standard.command(named: $0) != nil }
    }
}
