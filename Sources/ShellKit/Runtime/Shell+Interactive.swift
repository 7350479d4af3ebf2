import DeepSearch
import FoundationEssentials
import LineEditing

#if canImport(Glibc)
import Glibc
#endif

extension Shell {
    /// The interactive prompt: libedit on a terminal (the terminal's own line editing on a plain
    /// one, `TERM=dumb`), history kept in a file. With `place`, it was opened in the middle of a
    /// script (`i` under `--step`), and Ctrl-D goes back there.
    func interact(returningTo place: String? = nil) async -> Int32 {
        let options = environment.options
        let plain = environment.console.isPlainTerminal
        let editor = plain ? nil : EditLineReader(programName: "extruct-shell")
        guard isatty(0) == 1, plain || editor != nil else {
            return place == nil ? await playback.play([.standardInput]) : ExitStatus.success
        }
        let reader: any LineReader = editor ?? PlainLineReader(showsPrompt: true)
        SignalMonitor.saveTerminal()
        defer {
            reader.close()
            SignalMonitor.restoreTerminal()
        }
        openHistory()
        let history = environment.history
        for line in history.lines { reader.addToHistory(line) }
        let outer = history.reader
        history.reader = reader
        defer { history.reader = outer }
        if place == nil {
            // Open the connection (TCP, TLS, a proxy's tunnel) while the user types the first
            // command, so it costs one round trip rather than three; the prompt never waits for it.
            let transport = environment.transport
            let apiURL = session.apiURL
            Task { await transport.prepare(baseURL: apiURL) }
        }
        if let place {
            // For the presenter, not the audience: not part of a --cast recording.
            environment.console.note(
                Style(enabled: environment.console.colorOnError(session.settings)).dim(
                    "the prompt, on the session as it stands · Ctrl-D goes back to \(place)"))
        } else if !options.quiet {
            if let notice = options.notice { say(notice) }
            for line in banner() { say(line) }
        }
        if place == nil, options.startTutorial {
            var working = session
            _ = await execute("tutorial", place: nil, session: &working)
        }
        // Notices of tasks ending, at the prompt only (not at the prompt opened inside a script),
        // drawn by the line editor above the line being typed (not on a plain terminal).
        let notifier = place == nil && editor != nil ? TaskNotifier(environment: environment) : nil
        while true {
            if let termination = interrupts.termination { return 128 + termination }
            if let request = exitRequested { return request }
            if !environment.console.isOutputOpen { return ExitStatus.success }
            if let editor {
                let specs = environment.registry.commands.map { $0.spec }
                let completer = Completer(specs: specs, taskIDs: completableTaskIDs(), variables: Array(session.variables.keys))
                editor.completer = { completer.complete($0) }
            }
            let prompt = promptLayout(forEditor: editor != nil)
            interrupts.waiting(.prompt)
            environment.cast?.beginLine()
            notifier?.saw(session)
            let polling = notifier.map { notifier in
                Task { @MainActor in
                    await notifier.watch(self.session) { task in
                        self.session.see(task)
                        return self.promptLayout(forEditor: true)
                    }
                }
            }
            // Keys typed while the last command ran were kept unseen; the editor shows them now.
            if editor != nil { TypeAhead.show() }
            let result = await InputThread.readLine(reader, promptFor: prompt)
            if editor != nil { TypeAhead.hide() }
            polling?.cancel()
            await polling?.value
            interrupts.waiting(.running)
            // The token a typed line sets is a secret before the line reaches the cast or history.
            if case .line(let line) = result { environment.learnSecrets(in: line, resolve: resolver(for: session)) }
            if let cast = environment.cast {
                let environment = environment
                cast.endLine(
                    after: result, prompt: promptLayout(forEditor: false)(environment.console.terminalWidth), kept: { environment.redacted($0) })
            }
            switch result {
            case .interrupted:
                continue
            case .endOfInput:
                environment.console.errRaw("\n")
                // Ctrl-D in a lesson leaves the lesson, not the shell.
                if tutoring.isInLesson {
                    tutoring.leaveLesson(finished: false)
                    continue
                }
                return ExitStatus.success
            case .stopped:
                return 128 + (interrupts.termination ?? SIGTERM)
            case .line(let line):
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                // Not a line that starts with a space; with every secret hidden (`token …`).
                if !line.hasPrefix(" ") { history.remember(environment.redacted(line), console: environment.console) }
                if tutoring.isInLesson {
                    await tutoring.turn(line)
                } else {
                    var working = session
                    _ = await execute(line, place: nil, session: &working)
                    session = working
                }
                await tutoring.handleRequest()
            }
        }
    }

    /// The prompt as it stands, laid out for a width (the lesson's place before it).
    func promptLayout(forEditor: Bool) -> @Sendable (Int) -> String {
        let session = self.session
        let lesson = tutoring.tutor?.promptLesson
        let style = Style(enabled: environment.console.colorOnError(session.settings))
        return { columns in Prompt.text(for: session, lesson: lesson, columns: columns, style: style, forEditor: forEditor) }
    }

    /// The banner before the first prompt; without a token (and not on the built-in simulator),
    /// the ways to start.
    private func banner() -> [String] {
        let version = "extruct-shell \(environment.options.version) · \(session.apiURL)"
        guard session.token?.isEmpty ?? true, session.apiURL != environment.simulatorURL else {
            return ["\(version) · token \(session.maskedToken) · help lists the commands, Ctrl-D leaves"]
        }
        return ["\(version) · no token yet. To start:"] + GettingStarted.lines.map { "  " + $0 } + ["help lists the commands, Ctrl-D leaves"]
    }

    /// A line for the person at the terminal, dimmed, wrapped at words to the terminal's width.
    func say(_ text: String) {
        let console = environment.console
        let style = Style(enabled: console.colorOnError(session.settings))
        for line in console.lines(text, onTerminal: true) { console.err(style.dim(line)) }
    }

    /// Opens the history file unless `--no-history`, and hides in it any secret in use.
    private func openHistory() {
        let options = environment.options
        guard !options.noHistory,
            environment.history.open(path: options.historyFile ?? CommandHistory.defaultPath(), console: environment.console)
        else { return }
        // A line kept before a secret was known to be one (an older version, another shell).
        let hunted = environment.secrets.filter { $0.count >= Secrets.minimumLength }
        if environment.history.lines.contains(where: { line in hunted.contains { Secrets.occurs($0, in: line) } }) {
            Self.scrub(hunted, from: environment, cassette: nil)
        }
    }
}
