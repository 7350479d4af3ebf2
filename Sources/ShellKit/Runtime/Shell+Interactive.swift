import DeepSearch
import FoundationEssentials
import LineEditing

#if canImport(Glibc)
import Glibc
#endif

extension Shell {
    /// The interactive prompt: libedit on a terminal, history kept in a file. With `place`, it
    /// was opened in the middle of a script (`i` under `--step`), and Ctrl-D goes back there.
    func interact(returningTo place: String? = nil) async -> Int32 {
        let options = environment.options
        guard let editor = EditLineReader(programName: "extruct-shell") else {
            return place == nil ? await play([.standardInput]) : ExitStatus.success
        }
        SignalMonitor.saveTerminal()
        defer {
            editor.close()
            SignalMonitor.restoreTerminal()
        }
        let history = openHistory()
        for line in environment.history { editor.addToHistory(line) }
        if place == nil {
            // Open the connection (TCP, TLS, a proxy's tunnel) while the user types the first
            // command, so it costs one round trip rather than three; the prompt never waits for it.
            let transport = environment.transport
            let apiURL = session.apiURL
            Task { await transport.prepare(baseURL: apiURL) }
        }
        if let place {
            environment.console.err(
                Style(enabled: environment.console.colorOnError(session.settings)).dim(
                    "the prompt, on the session as it stands · Ctrl-D goes back to \(place)"))
        } else if !options.quiet {
            if let notice = options.notice { environment.console.err(notice) }
            environment.console.err(
                Style(enabled: environment.console.colorOnError(session.settings)).dim(
                    "extruct-shell \(options.version) · \(session.apiURL) · token \(session.maskedToken) · help lists the commands, Ctrl-D leaves"))
        }
        if place == nil, options.startTutorial {
            var working = session
            _ = await execute("tutorial", place: nil, session: &working)
        }
        // Notices of tasks ending, at the prompt only (not at the prompt opened inside a script).
        let notifier = place == nil ? TaskNotifier(environment: environment) : nil
        while true {
            if let termination = interrupts.termination { return 128 + termination }
            if let request = environment.exitRequest { return request }
            if !environment.console.isOutputOpen { return ExitStatus.success }
            let specs = environment.registry.commands.map { $0.spec }
            let completer = Completer(specs: specs, taskIDs: completableTaskIDs(), variables: Array(session.variables.keys))
            editor.completer = { completer.complete($0) }
            let prompt =
                tutorPrefix + Prompt.text(for: session, style: Style(enabled: environment.console.colorOnError(session.settings)), forEditor: true)
            interrupts.waiting(.prompt)
            environment.cast?.beginLine()
            notifier?.saw(session)
            let polling = notifier.map { notifier in
                Task { @MainActor in
                    await notifier.watch(self.session) { task in
                        self.session.see(task)
                        return self.tutorPrefix
                            + Prompt.text(
                                for: self.session, style: Style(enabled: self.environment.console.colorOnError(self.session.settings)),
                                forEditor: true)
                    }
                }
            }
            let result = await Self.readOffMain(editor, prompt: prompt)
            polling?.cancel()
            await polling?.value
            interrupts.waiting(.running)
            castLine(result)
            switch result {
            case .interrupted:
                continue
            case .endOfInput:
                environment.console.errRaw("\n")
                // Ctrl-D in a lesson leaves the lesson, not the shell.
                if tutor != nil {
                    leaveLesson(finished: false)
                    continue
                }
                return ExitStatus.success
            case .stopped:
                return 128 + (interrupts.termination ?? SIGTERM)
            case .line(let line):
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                remember(line, in: editor, history: history)
                if tutor != nil {
                    await tutorTurn(line)
                } else {
                    var working = session
                    _ = await execute(line, place: nil, session: &working)
                    session = working
                }
                await handleTutorialRequest()
            }
        }
    }

    /// Ends a line in the cast: a line typed as history keeps it is kept as drawn; any other
    /// (`token VALUE`, a token pasted, a discarded line) is shown as the prompt and what history
    /// keeps, so a token typed at the prompt never reaches the file.
    private func castLine(_ result: LineReadResult) {
        guard let cast = environment.cast else { return }
        let prompt =
            tutorPrefix + Prompt.text(for: session, style: Style(enabled: environment.console.colorOnError(session.settings)), forEditor: false)
        switch result {
        case .line(let line):
            let kept = Self.historyText(line, secrets: environment.secrets)
            cast.endLine(replacingEditorOutputWith: kept == line ? nil : prompt + kept + "\n")
        case .interrupted:
            cast.endLine(replacingEditorOutputWith: prompt + "^C\r\n")
        case .stopped:
            cast.endLine(replacingEditorOutputWith: prompt + "\n")
        case .endOfInput:
            cast.endLine(replacingEditorOutputWith: nil)
        }
    }

    /// Opens the history file (creating it 0600, tightening a looser one) and loads it.
    private func openHistory() -> HistoryFile? {
        let options = environment.options
        guard !options.noHistory else { return nil }
        let path = options.historyFile ?? Self.defaultHistoryPath()
        let file = HistoryFile(path: path)
        do {
            try file.prepare()
        } catch {
            environment.console.err("warning: history is off: \(error)")
            return nil
        }
        environment.history = file.load()
        return file
    }

    static func defaultHistoryPath() -> String {
        let state = Environment.value("XDG_STATE_HOME") ?? (Environment.home + "/.local/state")
        return state + "/extruct-shell/history"
    }

    /// Adds a typed line to history: not when it starts with a space, not twice in a row, and a
    /// token never (a `token VALUE` line is kept as `token …`).
    private func remember(_ line: String, in editor: EditLineReader, history: HistoryFile?) {
        guard !line.hasPrefix(" ") else { return }
        let stored = Self.historyText(line, secrets: environment.secrets)
        guard environment.history.last != stored else { return }
        environment.history.append(stored)
        editor.addToHistory(stored)
        do {
            try history?.append(stored)
        } catch {
            environment.console.err("warning: \(error)")
        }
    }

    /// The line as history keeps it.
    static func historyText(_ line: String, secrets: Set<String>) -> String {
        var text = line
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words.first == "token", words.count > 1, !["--prompt", "--clear"].contains(words[1]) {
            text = "token …"
        }
        return secrets.reduce(text) { Secrets.redact($0, $1) }
    }
}
