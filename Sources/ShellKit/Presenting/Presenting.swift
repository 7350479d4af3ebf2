import LineEditing

/// `--step`: the presenter at the keyboard runs, skips or stops each command of the playback,
/// opens the prompt in the middle of it (`i`), and decides what follows a command that failed
/// after changes made at that prompt. (``Presenter`` reads the keys and types the commands out.)
@MainActor
final class Presenting: ShellCapability {
    unowned let shell: Shell

    init(shell: Shell) {
        self.shell = shell
    }

    /// Starts presenter mode for the playback to come: keys are read one at a time, unechoed.
    func start() {
        SignalMonitor.saveTerminal()
        TerminalKeys.enterKeyMode()
        environment.presenter = Presenter(
            console: environment.console, interrupts: interrupts, typingDelay: environment.options.typingMilliseconds)
    }

    /// Ends presenter mode: the terminal as it was found.
    func stop() {
        environment.presenter = nil
        SignalMonitor.restoreTerminal()
    }

    /// One command of a script under `--step`: the presenter runs it, skips it, stops the
    /// playback, or opens the prompt on the session as it stands and then asks again.
    func present(_ text: String, place: String, presenter: Presenter, session: inout Session) async -> Int32 {
        if Playback.isPause(text) { return await shell.execute(text, place: place, session: &session) }
        while true {
            let shown = shell.playback.shownCommand(text, session: session)
            let skipped = shown.prompt + dim("\(shown.text)  (skipped)", session)
            switch await presenter.present(shown.text, prompt: shown.prompt, skipped: skipped, toStandardError: shown.toStandardError) {
            case .run:
                let status = await shell.execute(text, place: place, session: &session)
                // A script's check can fail after the presenter changed the session at the prompt:
                // the presenter, not the script, decides what happens next.
                guard status != ExitStatus.success, status != ExitStatus.interrupted, presenter.changedAtThePrompt else { return status }
                switch await recover(place: place, presenter: presenter, session: &session, toStandardError: shown.toStandardError) {
                case .retry: continue
                case .proceed: return ExitStatus.success
                case .stop, .interactive: return status
                }
            case .skip:
                return ExitStatus.success
            case .stop:
                environment.console.note(dim("stopped at \(place)", session))
                return ExitStatus.interrupted
            case .interrupted:
                return ExitStatus.interrupted
            case .interactive:
                presenter.changedAtThePrompt = true
                await interactDuringPlayback(returningTo: place, session: &session)
                if let request = shell.exitRequested { return request }
                if let termination = interrupts.termination { return 128 + termination }
            }
        }
    }

    /// Asks the presenter what to do after a failed command (r retry, c continue, q stop, i the
    /// prompt and then the question again).
    private func recover(place: String, presenter: Presenter, session: inout Session, toStandardError: Bool) async -> Presenter.Recovery {
        while true {
            let question = dim("\(place) failed after changes at the prompt · r retry · c continue · q stop · i prompt", session)
            let choice = await presenter.recover(question, toStandardError: toStandardError)
            guard choice == .interactive else {
                if choice == .stop { environment.console.err(dim("stopped at \(place)", session)) }
                return choice
            }
            await interactDuringPlayback(returningTo: place, session: &session)
            if shell.exitRequested != nil || interrupts.termination != nil { return .stop }
        }
    }

    /// The interactive prompt in the middle of a script (`i` under `--step`): commands run as at
    /// any prompt (Ctrl-C stops one, not the playback); Ctrl-D goes back to the script.
    private func interactDuringPlayback(returningTo place: String, session: inout Session) async {
        let presenter = environment.presenter
        let cancel = shell.playbackCancel
        environment.presenter = nil
        environment.isPlayback = false
        interrupts.setPlayback(false)
        shell.playbackCancel = nil
        SignalMonitor.restoreTerminal()
        shell.session = session
        _ = await shell.interact(returningTo: place)
        session = shell.session
        environment.presenter = presenter
        environment.isPlayback = true
        interrupts.setPlayback(true)
        shell.playbackCancel = cancel
        TerminalKeys.enterKeyMode()
    }

    private func dim(_ text: String, _ session: Session) -> String {
        Style(enabled: environment.console.colorOnError(session.settings)).dim(text)
    }
}
