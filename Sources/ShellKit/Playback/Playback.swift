import DeepSearch
import FoundationEssentials
import LineEditing
import POSIXSupport
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Script playback: `-f` files, `-c` commands, piped standard input and `source`, each line
/// checked before anything runs, then handed to the shell (``Shell/execute(_:place:session:)``),
/// shown as it plays with `--echo` or `--typing`, or to the presenter with `--step`; it stops at
/// the first failure unless `--continue-on-error`, and names each error `FILE:LINE`.
@MainActor
final class Playback: ShellCapability {
    unowned let shell: Shell

    init(shell: Shell) {
        self.shell = shell
    }

    /// Plays `inputs` in order; stops at the first failure unless `--continue-on-error`.
    func play(_ inputs: [ScriptInput]) async -> Int32 {
        environment.isPlayback = true
        interrupts.setPlayback(true)
        defer {
            environment.isPlayback = false
            interrupts.setPlayback(false)
        }
        var worst = ExitStatus.success
        var commandNumber = 0
        for case .command(let text) in inputs { environment.learnSecrets(in: text, resolve: nil) }
        for input in inputs {
            let status: Int32
            switch input {
            case .file(let path):
                var working = session
                // Only a nested script's unreadable file is thrown (to the `source` line).
                status = (try? await playFile(path, session: &working, nested: false)) ?? ExitStatus.usage
                session = working
            case .command(let text):
                commandNumber += 1
                let place = inputs.filter { if case .command = $0 { true } else { false } }.count > 1 ? "-c:\(commandNumber)" : "-c"
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                    ScriptLine(number: $0.offset + 1, text: String($0.element))
                }
                var working = session
                status = await playLines(lines, name: place, numbered: lines.count > 1, session: &working)
                session = working
            case .standardInput:
                status = await playStandardInput()
            }
            worst = max(worst, status)
            if let stop = stopStatus(after: status, worst: worst) { return stop }
        }
        return worst
    }

    /// `source FILE` inside a running command. A cycle or too deep a nesting is thrown, so the
    /// error names the `source` line that went past it, as every other script error does.
    func playNested(_ path: String, session: inout Session) async throws(CommandFailure) -> Int32 {
        let real = Environment.resolvingSymlinks(resolve(path, nested: true))
        if environment.scriptStack.contains(real) {
            let chain = (environment.scriptStack + [real]).map(Self.fileName).joined(separator: " → ")
            throw .usage("\(path) is already playing, a cycle: \(chain)")
        }
        if environment.scriptStack.count >= Self.nestingLimit {
            // Not a cycle (that is caught above): a chain of different files, too long.
            throw .usage(
                "source nests at most \(Self.nestingLimit) scripts deep, and this would be the \(Self.nestingLimit + 1)th (no cycle: every file differs)"
            )
        }
        return try await playFile(path, session: &session, nested: true)
    }

    /// How deep `source` may nest.
    static let nestingLimit = 64

    /// `path` as given, with `~` expanded; inside a script, a relative path is first looked for
    /// beside that script.
    private func resolve(_ path: String, nested: Bool) -> String {
        var resolved = path == "-" ? path : Environment.expandingTilde(path)
        if nested, !resolved.hasPrefix("/"), let current = environment.scriptStack.last, current != "-" {
            let sibling = FilePath(current).removingLastComponent().appending(resolved).string
            if access(sibling, F_OK) == 0 { resolved = sibling }
        }
        return resolved
    }

    /// Plays the script at `path`; its syntax errors are reported here. A file that cannot be
    /// read is reported here too, unless it is `nested`: then it is thrown, so the error names
    /// the `source` line that asked for it.
    private func playFile(_ path: String, session: inout Session, nested: Bool) async throws(CommandFailure) -> Int32 {
        if path == "-" { return await playStandardInput() }
        let resolved = resolve(path, nested: nested)
        let real = Environment.resolvingSymlinks(resolved)
        let lines: [ScriptLine]
        do {
            lines = try ScriptSource.lines(atPath: resolved)
        } catch {
            if nested, error.line == nil { throw .syntax(error.description) }
            let place = error.line.map { "\(path):\($0)" }
            var message = error.description
            if !nested, error.line == nil, environment.registry.command(named: path) != nil {
                message += " (to run the command \(path), use -c '\(path)')"
            }
            environment.console.err(ErrorPresenter.line(for: CommandFailure.syntax(message), place: place))
            return ExitStatus.usage
        }
        // The whole file is checked before anything runs: a typo on line 50 must not leave
        // lines 1–49 half done (they may have spent credits).
        for line in lines where line.kind == .command {
            if let problem = syntaxProblem(line.text) {
                environment.console.err(ErrorPresenter.line(for: problem, place: "\(path):\(line.number)", command: Shell.shortLine(line.text)))
                return ExitStatus.usage
            }
        }
        // A token the file sets in so many words is a secret from its first line on: a line
        // before that one may mention it.
        for line in lines where line.kind == .command { environment.learnSecrets(in: line.text, resolve: nil) }
        environment.scriptStack.append(real)
        defer { environment.scriptStack.removeLast() }
        return await playLines(lines, name: path, numbered: true, session: &session)
    }

    /// Why `line` cannot be run, if its quoting or its command name is wrong.
    private func syntaxProblem(_ line: String) -> CommandFailure? {
        do {
            var words = try WordSplitter.split(line, resolve: nil)
            if words.first?.text == "try" { words.removeFirst() }
            guard let name = words.first?.text else { return nil }
            if name.hasPrefix("$") { return nil }
            if environment.registry.command(named: name) == nil {
                let hint = environment.registry.suggestion(for: name).map { "did you mean \($0)? " } ?? ""
                return .syntax("unknown command '\(TextLayout.safe(name))'; \(hint)help lists the commands")
            }
            return nil
        } catch {
            return .syntax(error.message, column: error.column)
        }
    }

    private func playLines(_ lines: [ScriptLine], name: String, numbered: Bool, session: inout Session) async -> Int32 {
        var worst = ExitStatus.success
        for line in lines {
            if line.kind == .narration {
                narrate(line.text, session: session)
                continue
            }
            let place = numbered ? "\(name):\(line.number)" + chainSuffix() : name
            let status = await playOne(line.text, place: place, session: &session)
            worst = max(worst, status)
            if let stop = stopStatus(after: status, worst: worst) { return stop }
        }
        return worst
    }

    private func chainSuffix() -> String {
        let outer = Array(environment.scriptStack.dropLast().reversed().map(Self.fileName))
        guard !outer.isEmpty else { return "" }
        // A long chain is told by its ends: the scripts nearest, and the one that began it.
        let chain = outer.count > 4 ? outer.prefix(2) + ["… \(outer.count - 3) more …", outer.last!] : outer[...]
        return " (sourced from \(chain.joined(separator: " ← ")))"
    }

    /// Shows (with `--echo` or `--typing`; paced by the presenter with `--step`) and runs one
    /// command of a script.
    private func playOne(_ text: String, place: String, session: inout Session) async -> Int32 {
        let options = environment.options
        if let presenter = environment.presenter {
            return await shell.presenting.present(text, place: place, presenter: presenter, session: &session)
        }
        if options.echo || options.typingMilliseconds != nil, !Self.isPause(text) {
            let shown = shownCommand(text, session: session)
            if let delay = options.typingMilliseconds, !options.dryRun {
                environment.console.type(shown.prompt, toStandardError: shown.toStandardError)
                guard
                    await Presenter.typeOut(
                        shown.text, delay: delay, console: environment.console, interrupts: interrupts, toStandardError: shown.toStandardError)
                else { return ExitStatus.interrupted }
                environment.console.type("\n", toStandardError: shown.toStandardError)
            } else if shown.toStandardError {
                environment.console.err(shown.prompt + shown.text)
            } else {
                environment.console.out(shown.prompt + shown.text)
            }
        }
        return await shell.execute(text, place: place, session: &session)
    }

    /// A command as `--echo`, `--typing` and `--step` show it: after the prompt, on standard
    /// output (standard error with JSON output, which must stay one document per command), the
    /// token never.
    func shownCommand(_ text: String, session: Session) -> (prompt: String, text: String, toStandardError: Bool) {
        let channel = showingChannel(session)
        environment.learnSecrets(in: text, resolve: shell.resolver(for: session))
        return (
            Prompt.text(for: session, columns: environment.console.terminalWidth, style: channel.style, forEditor: false),
            environment.redacted(text),
            channel.toStandardError
        )
    }

    /// Where commands and narration are shown as they play, and in what style: standard output,
    /// or standard error with JSON output (which must stay one document per command).
    private func showingChannel(_ session: Session) -> (toStandardError: Bool, style: Style) {
        let toStandardError = session.settings.output == .json
        let console = environment.console
        return (toStandardError, Style(enabled: toStandardError ? console.colorOnError(session.settings) : console.colorOnOutput(session.settings)))
    }

    /// Whether commands are shown as they play (and so narration with them).
    var showsCommands: Bool {
        environment.presenter != nil || environment.options.echo || environment.options.typingMilliseconds != nil
    }

    /// A `#:` line: shown dimmed where commands are shown, else nothing.
    func narrate(_ text: String, session: Session) {
        guard showsCommands else { return }
        let channel = showingChannel(session)
        let console = environment.console
        // On a terminal, wrapped at words to its width; elsewhere as written.
        let onTerminal = channel.toStandardError ? console.errorIsTerminal : console.outputIsTerminal
        for line in console.lines(text, onTerminal: onTerminal) {
            if channel.toStandardError { console.err(channel.style.dim(line)) } else { console.out(channel.style.dim(line)) }
        }
    }

    /// Whether the line is a `pause`, a presenter's stop rather than a command to show.
    static func isPause(_ text: String) -> Bool {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "pause"
    }

    /// Reads standard input line by line as a script (`cat demo.exsh | extruct-shell`).
    private func playStandardInput() async -> Int32 {
        let reader = PlainLineReader()
        var worst = ExitStatus.success
        var number = 0
        var assembler = ScriptLineAssembler()
        while true {
            interrupts.waiting(.scriptInput)
            let result = await InputThread.readLine(reader, prompt: "")
            interrupts.waiting(.running)
            let command: ScriptLine?
            if case .line(var text) = result {
                number += 1
                if number == 1, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                if text.contains("\u{0}") {
                    environment.console.err(
                        ErrorPresenter.line(for: CommandFailure.syntax("the line holds a NUL byte; scripts are text"), place: "<stdin>:\(number)"))
                    worst = max(worst, ExitStatus.usage)
                    if !environment.options.continueOnError { return worst }
                    continue
                }
                command = assembler.add(text, number: number)
            } else {
                command = assembler.finish()
            }
            if let command, command.kind == .narration {
                narrate(command.text, session: session)
            } else if let command {
                var working = session
                let status = await playOne(command.text, place: "<stdin>:\(command.number)", session: &working)
                session = working
                worst = max(worst, status)
                if let stop = stopStatus(after: status, worst: worst) { return stop }
            }
            guard case .line = result else { return worst }
        }
    }

    /// Whether playback ends after a command that gave `status`, and with what: on Ctrl-C, a
    /// termination signal or `exit`; on a failure unless `--continue-on-error`; when the reader
    /// of our output went away (`| head`). Nil: go on.
    func stopStatus(after status: Int32, worst: Int32) -> Int32? {
        if status == ExitStatus.interrupted || interrupts.termination != nil || shell.exitRequested != nil { return status }
        if status != ExitStatus.success, !environment.options.continueOnError { return status }
        if !environment.console.isOutputOpen { return worst }
        return nil
    }

    /// The last part of a script's path, for the chain of scripts in an error.
    static func fileName(_ path: String) -> String { FilePath(path).lastComponent?.string ?? path }
}
