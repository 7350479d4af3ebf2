import DeepSearch
import Dispatch
import FoundationEssentials
import LineEditing
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The shell: plays scripts and `-c` commands, runs the interactive prompt, and executes every
/// command line through one path (split, expand, parse, run, present the error, keep or drop
/// the session's changes).
@MainActor
public final class Shell {
    let environment: ShellEnvironment
    var session: Session
    let interrupts = Interrupts()
    /// While scripts play: cancels the playback's task (see ``playInOwnTask(_:)``).
    var playbackCancel: (@Sendable () -> Void)?
    /// The lessons at the prompt.
    private(set) lazy var tutoring = Tutoring(shell: self)
    /// Scripts, `-c` commands, piped input and `source`.
    private(set) lazy var playback = Playback(shell: self)
    /// `--step`.
    private(set) lazy var presenting = Presenting(shell: self)
    /// The commands running a script (`source`), outermost first: a line of the script hands
    /// its effects to the innermost, not to the shell.
    private var enclosing: [CommandContext] = []
    /// While set, the commands that succeed are not written into a recording (a lesson's own).
    var recordingPaused = false

    /// A shell for `options`; `transport` replaces the real HTTP transport (tests, `--demo`),
    /// `console` standard output and error (the command fuzzer; an in-memory one in tests),
    /// `registry` the commands it knows.
    public init(
        options: ShellOptions, transport: (any HTTPTransport)? = nil, clock: any PollingClock = SystemPollingClock(), console: Console? = nil,
        registry: CommandRegistry = .standard
    ) throws {
        let noColor = options.noColor || Environment.value("NO_COLOR") != nil
        let console = console ?? Console(colorForbidden: noColor)
        var chosen: any HTTPTransport
        if let replay = options.replayHTTP {
            chosen = try CassetteReplayer(path: replay)
        } else {
            chosen = transport ?? DefaultTransport(network: options.network, warn: { console.err("warning: \($0)") })
            if options.dryRun { chosen = DryRunTransport(console: console) }
        }
        var cassette: CassetteRecorder?
        if let record = options.recordHTTP, !options.dryRun {
            cassette = try CassetteRecorder(recordingTo: record, through: chosen)
            chosen = cassette!
        }
        let logger = Logger(label: "extruct-shell", factory: { StandardErrorLogHandler(label: $0, console: console) })
        environment = ShellEnvironment(
            options: options, console: console, transport: chosen, clock: clock, logger: logger, registry: registry)
        session = Session(apiURL: options.apiURL, apiURLOrigin: options.apiURLOrigin, token: options.token, tokenOrigin: options.tokenOrigin)
        session.settings.output = options.json ? .json : .text
        session.settings.debug = options.debug
        if let seconds = options.requestTimeout { session.settings.requestTimeout = seconds }
        if keepsChain(of: session) { session.chain = environment.chainStore.chain(for: session.apiURL) }
        environment.secretsLearned = { [unowned environment] learned in
            Self.scrub(learned, from: environment, cassette: cassette)
        }
        // Every token of the process is a secret, not only the one in use: `--demo` or a
        // profile may replace EXTRUCT_API_TOKEN, which `$EXTRUCT_API_TOKEN` still reaches.
        environment.secrets.formUnion([options.token, Environment.value("EXTRUCT_API_TOKEN")].compactMap { $0 })
        for proxy in [options.network.httpsProxy, options.network.httpProxy].compactMap({ $0 }) {
            environment.secrets.formUnion(proxy.secrets)
        }
        if let path = options.cast {
            let size = console.terminalSize
            let cast = try AsciicastRecorder(
                path: Environment.expandingTilde(path), width: size.columns, height: size.rows, idleLimit: options.castIdleLimit,
                term: Environment.value("TERM"))
            environment.cast = cast
            cast.attach(to: console)
        }
        environment.playFile = { [unowned self] path, context in
            var working = context.session
            self.enclosing.append(context)
            defer { self.enclosing.removeLast() }
            let status = try await self.playback.playNested(path, session: &working)
            context.session = working
            if status != ExitStatus.success { throw AlreadyReported(status: status) }
        }
    }

    /// Runs everything the options ask for; returns the exit status.
    public func run() async -> Int32 {
        SignalMonitor.shared.start { [interrupts] signal in interrupts.handle(signal) }
        // A live line (watch) is laid out again for the new width.
        interrupts.onResize { [console = environment.console] in Task { @MainActor in console.redrawLiveLine() } }
        let options = environment.options
        var status = ExitStatus.success
        let interactiveInput = isatty(0) == 1
        if !options.inputs.isEmpty {
            if options.step { presenting.start() }
            status = await playInOwnTask(options.inputs)
            if options.step { presenting.stop() }
            if let termination = interrupts.termination { return await finish(128 + termination) }
            if exitRequested != nil || !options.stayInteractive || !interactiveInput {
                return await finish(exitRequested ?? status)
            }
        } else if !interactiveInput {
            return await finish(await playInOwnTask([.standardInput]))
        }
        return await finish(await interact())
    }

    /// Plays `inputs` in a task of their own, which Ctrl-C and termination signals cancel, so each
    /// command can run inline rather than in a task of its own: awaiting a task's result passes
    /// through the concurrency pool, two thread hand-offs per command (a fifth of a playback's time).
    private func playInOwnTask(_ inputs: [ScriptInput]) async -> Int32 {
        let playback = Task { @MainActor in await self.playback.play(inputs) }
        playbackCancel = { playback.cancel() }
        defer { playbackCancel = nil }
        return await playback.value
    }

    private func finish(_ status: Int32) async -> Int32 {
        if environment.options.dryRun, environment.spendingLedger.requests > 0 { environment.console.out(environment.spendingLedger.dryRunTotal) }
        if let recorder = environment.recorder {
            do { try recorder.save() } catch { environment.console.err(ErrorPresenter.line(for: error)) }
        }
        environment.console.flush()
        environment.cast?.detach(from: environment.console)
        await environment.transport.shutdown()
        return status
    }

    // MARK: Executing one line

    /// Runs one command line against `session`; returns its exit status (0 when it succeeded).
    func execute(_ line: String, place: String?, session: inout Session) async -> Int32 {
        let console = environment.console
        let before = session
        func report(_ error: any Error, _ command: String?) -> Int32 {
            if let reported = error as? AlreadyReported { return reported.status }
            let text = ErrorPresenter.line(for: error, place: place, command: command)
            console.err(Self.paint(console.lines(text, onTerminal: console.errorIsTerminal).joined(separator: "\n"), environment, before))
            return ErrorPresenter.describe(error).status
        }
        var words: [Word]
        do {
            words = try WordSplitter.split(line, resolve: resolver(for: session))
        } catch {
            let failure =
                error.kind == .unsetVariable ? CommandFailure.usage(error.message) : CommandFailure.syntax(error.message, column: error.column)
            return report(failure, place == nil ? nil : Self.shortLine(environment.redacted(line)))
        }
        // The token this line sets is a secret before anything runs or reports.
        let setsToken = environment.redaction.tokenArguments(of: words).map(\.text).filter { !$0.isEmpty }
        if !setsToken.isEmpty { environment.secrets.formUnion(setsToken) }
        guard !words.isEmpty else { return ExitStatus.success }
        var tolerant = false
        if words[0].text == "try", !words[0].isQuoted {
            tolerant = true
            words.removeFirst()
            guard !words.isEmpty else { return report(CommandFailure.usage("try: give a command to run"), nil) }
        }
        let name = words[0].text
        guard let command = environment.registry.command(named: name) else {
            let hint = environment.registry.suggestion(for: name).map { "did you mean \($0)? " } ?? ""
            return report(CommandFailure.syntax("unknown command '\(TextLayout.safe(name))'; \(hint)help lists the commands"), nil)
        }
        let spec = command.spec
        var label: String? { place == nil ? nil : Self.shortLine(environment.redacted(line)) }
        let arguments: Arguments
        do {
            arguments = try spec.parse(Array(words.dropFirst()))
        } catch {
            let status = report(error, label)
            return tolerant ? ExitStatus.success : status
        }

        if let refusal = tokenRefusal(spec, session) {
            let status = report(refusal, label)
            return tolerant ? ExitStatus.success : status
        }
        let context = CommandContext(session: session, environment: environment, line: line, parent: enclosing.last)
        let result: Result<Void, any Error>
        if let cancelPlayback = playbackCancel {
            // In playback the command runs inline, in the playback's task; Ctrl-C cancels that
            // task, which ends the playback (exit 130) as it would anyway.
            interrupts.begin(cancelPlayback)
            do {
                try await command.run(arguments, context)
                result = .success(())
            } catch {
                result = .failure(error)
            }
        } else {
            let task = Task { @MainActor in try await command.run(arguments, context) }
            interrupts.begin { task.cancel() }
            result = await task.result
        }
        let interrupted = interrupts.end()

        switch result {
        case .success:
            session = context.session
            cacheTaskIDs(of: session)
            keepChain(of: context, succeeded: true, before: before, session: &session)
            // A recording holds the lines run at the top, as typed or played: a line a sourced
            // script runs is the `source` line's part, which is recorded once it succeeds (and
            // into the recording that was going when it ran, before its own effects apply).
            if context.parent == nil {
                record(line, spec: spec, session: session, resolvedTaskIDs: context.resolvedTaskIDs, into: environment.recorder)
            }
            commitEffects(of: context)
            console.flush()
            return ExitStatus.success
        case .failure(let failure):
            let error = (failure as? DeepSearchError)?.naming(fieldsOf: spec) ?? failure
            console.endLiveLine()
            console.flush()
            // The session is as it was, but what the command saw of a task is kept (the prompt
            // shows the status watch last saw when Ctrl-C stopped it; resume the target that
            // resume --watch set).
            for task in context.observed where session.seenTasks.contains(task.id) { session.learn(task) }
            keepChain(of: context, succeeded: false, before: before, session: &session)
            if let e = error as? DeepSearchError, e.code == .interruptedAfterSending {
                // Credits may have been spent: said even when a signal ends the shell. An
                // interrupt is not an error (no `error:`), but its line fits the terminal.
                console.err(console.lines(e.description, onTerminal: console.errorIsTerminal).joined(separator: "\n"))
                return ExitStatus.interrupted
            }
            if interrupted || error is CancellationError || error is StoppedFollowing || (Task.isCancelled && interrupts.termination != nil) {
                if interrupts.termination == nil {
                    // Ctrl-C while following a task is no error: the command says where it stopped.
                    let said = (error as? StoppedFollowing)?.message ?? "interrupted"
                    console.err(
                        Self.paint(console.lines(said, onTerminal: console.errorIsTerminal).joined(separator: "\n"), environment, session, dim: true))
                }
                return ExitStatus.interrupted
            }
            if let e = error as? DeepSearchError, e.code == .notSent {
                // A dry run: the command did all it could without an answer; the session goes on
                // as it left it (use's task current, create's placeholder).
                session = context.session
                commitEffects(of: context)
                return ExitStatus.success
            }
            if spec.name == "source" {
                // What the script's lines did before the failure stays done.
                session = context.session
                commitEffects(of: context)
            }
            if spec.talksToAPI {
                session.lastHTTPStatus = (error as? DeepSearchError)?.status ?? 0
                if let body = (error as? DeepSearchError)?.body { session.lastResponse = body }
            }
            let status = report(error, label)
            return tolerant ? ExitStatus.success : status
        }
    }

    /// Applies what `context`'s command asked for, with its session: by the shell at the top, or
    /// by the command it runs inside (`source`), whose own success decides.
    private func commitEffects(of context: CommandContext) {
        if let parent = context.parent {
            parent.effects.merge(context.effects)
        } else {
            environment.apply(context.effects)
        }
    }

    /// The status `exit` asked to leave with: applied, or asked for by a line of a script that
    /// is still playing (which stops it).
    var exitRequested: Int32? {
        enclosing.last(where: { $0.effects.exit != nil })?.effects.exit ?? environment.exitRequest
    }

    /// A command that needs the token, with none: refused before anything is sent, with the ways
    /// to start (not for `raw`, which reaches anything, nor a dry run or a cassette's replay).
    private func tokenRefusal(_ spec: CommandSpec, _ session: Session) -> CommandFailure? {
        let options = environment.options
        guard spec.talksToAPI, spec.name != "raw", session.token?.isEmpty ?? true, !options.dryRun, options.replayHTTP == nil else { return nil }
        // Short enough for one row of 80 columns with its `error: `.
        return .usage("no API token: set EXTRUCT_API_TOKEN or run token --prompt (or try --demo)")
    }

    /// Runs one command line as a line of a script runs (its errors named `place`), on the
    /// session as it stands; returns its exit status. For the command fuzzer, which drives the
    /// shell a line at a time.
    public func run(line: String, place: String) async -> Int32 {
        var working = session
        let status = await execute(line, place: place, session: &working)
        session = working
        return status
    }

    /// The error line in red on a colour terminal.
    private static func paint(_ text: String, _ environment: ShellEnvironment, _ session: Session, dim: Bool = false) -> String {
        let style = Style(enabled: environment.console.colorOnError(session.settings))
        guard style.isEnabled else { return text }
        if dim { return style.dim(text) }
        return text.hasPrefix("error:") ? style.red("error:") + text.dropFirst(6) : text
    }

    static func shortLine(_ line: String) -> String {
        let trimmed = line.trimmingSpaces
        return TextLayout.truncate(TextLayout.safe(trimmed), to: 60)
    }

    private func record(
        _ line: String, spec: CommandSpec, session: Session, resolvedTaskIDs: [(typed: String, id: String)], into recorder: ScriptRecorder?
    ) {
        guard let recorder, spec.isRecorded, !recordingPaused else { return }
        let created = spec.name == "create" ? session.currentTask : nil
        recorder.record(line, command: spec.name, createdTask: created, resolvedTaskIDs: resolvedTaskIDs)
        do { try recorder.save() } catch { environment.console.err(ErrorPresenter.line(for: error)) }
    }

    /// Hides newly learned secrets in every file written so far: the history (on disk and in
    /// memory), the cast, the recording, the cassette.
    static func scrub(_ learned: Set<String>, from environment: ShellEnvironment, cassette: CassetteRecorder?) {
        let secrets = Array(learned)
        let redaction = environment.redaction
        let hide = { (line: String) in redaction.redact(line, secrets: learned) }
        environment.history.rewrite(hide, console: environment.console)
        environment.cast?.scrub(secrets)
        cassette?.hide(secrets)
        if let recorder = environment.recorder {
            do { try recorder.save() } catch { environment.console.err(ErrorPresenter.line(for: error)) }
        }
    }

    /// Looks up `$NAME`: `task`, `last…`, user variables, then the environment.
    func resolver(for session: Session) -> WordSplitter.Resolver {
        let variables = session.variables
        let task = session.currentTask
        let last = session.lastResponse
        return { name in
            if name == "task" { return task }
            if name == "last" { return last.map { $0.shellText } }
            if name.hasPrefix("last."), let path = JSONPath(String(name.dropFirst(5))) { return last.flatMap { path.lookup(in: $0)?.shellText } }
            if name.hasPrefix("last["), let path = JSONPath(String(name.dropFirst(4))) { return last.flatMap { path.lookup(in: $0)?.shellText } }
            if let value = variables[name] { return value }
            return getenv(name).map { String(cString: $0) }
        }
    }
}

/// A failure already printed by a nested script; carries its status outward.
struct AlreadyReported: Error {
    var status: Int32
}
