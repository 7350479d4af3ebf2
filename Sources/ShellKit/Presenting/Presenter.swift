import LineEditing

/// Paces a script for a live demo (`--step`): before each command the prompt is shown and a key
/// awaited, then the command is typed out and Enter awaited. The presenter decides; the audience
/// sees what the prompt would show.
@MainActor
final class Presenter {
    /// What the presenter chose for one command.
    enum Decision: Equatable {
        /// Enter after the command was typed out.
        case run
        /// `s`: the command is left out.
        case skip
        /// `q`, Ctrl-C or Ctrl-D: playback ends (exit 130).
        case stop
        /// `i`: the interactive prompt, until Ctrl-D.
        case interactive
        /// Ctrl-C (a signal) while the command was being typed out.
        case interrupted
    }

    /// What the presenter chose after a command failed, once the session was changed at the
    /// prompt (`i`): the script's expectations may no longer hold.
    enum Recovery: Equatable {
        /// `r`: run the command again (after another `i`, say).
        case retry
        /// `c`: go on with the next command, as if it had held.
        case proceed
        /// `q`, Ctrl-C or Ctrl-D: stop the playback with the command's status.
        case stop
        /// `i`: the prompt again, then the same question.
        case interactive
    }

    private let console: Console
    private let interrupts: Interrupts
    /// Milliseconds per key when typing a command out.
    let typingDelay: Int
    /// Whether the presenter opened the prompt (`i`) during this playback.
    var changedAtThePrompt = false

    /// The delay per key when `--typing` does not say.
    static let defaultTypingDelay = 40

    init(console: Console, interrupts: Interrupts, typingDelay: Int?) {
        self.console = console
        self.interrupts = interrupts
        self.typingDelay = typingDelay ?? Self.defaultTypingDelay
    }

    /// Shows `prompt`, waits for a key, types `command` out, waits for Enter; `skipped` is how a
    /// skipped command is shown instead (so the presenter sees it was left out).
    func present(_ command: String, prompt: String, skipped: String, toStandardError: Bool) async -> Decision {
        TerminalKeys.discardTypeAhead()
        console.type(prompt, toStandardError: toStandardError)
        var typed = false
        while true {
            guard let decision = Self.decision(for: await key(), typed: typed) else { continue }
            switch decision {
            case .run where !typed:
                guard
                    await Self.typeOut(command, delay: typingDelay, console: console, interrupts: interrupts, toStandardError: toStandardError)
                else { return .interrupted }
                typed = true
            case .skip:
                console.type(erase(prompt) + skipped + "\n", toStandardError: toStandardError)
                return decision
            case .interactive:
                console.type(erase(prompt), toStandardError: toStandardError)
                return decision
            case .run, .stop, .interrupted:
                console.type("\n", toStandardError: toStandardError)
                return decision
            }
        }
    }

    /// What `key` means while a command waits, before it is typed out and after (nil: nothing).
    /// Before, any key that is not `s`, `q` or `i` types it out; after, only Enter runs it.
    static func decision(for key: TerminalKeys.Key, typed: Bool) -> Decision? {
        switch key {
        case .character("s"), .character("S"): .skip
        case .character("q"), .character("Q"), .interrupt, .endOfInput: .stop
        case .character("i"), .character("I"): typed ? nil : .interactive
        case .enter: .run
        default: typed ? nil : .run
        }
    }

    /// After a failed command, once the session was changed at the prompt: says what can be
    /// done and waits for `r`, `c`, `q` or `i`.
    func recover(_ question: String, toStandardError: Bool) async -> Recovery {
        TerminalKeys.discardTypeAhead()
        console.type(question, toStandardError: toStandardError)
        while true {
            let choice: Recovery? =
                switch await key() {
                case .character("r"), .character("R"): .retry
                case .character("c"), .character("C"): .proceed
                case .character("q"), .character("Q"), .interrupt, .endOfInput: .stop
                case .character("i"), .character("I"): .interactive
                default: nil
                }
            if let choice {
                console.type("\n", toStandardError: toStandardError)
                return choice
            }
        }
    }

    /// `pause TEXT`: shows the text and waits for a key; false when the presenter stops there.
    func pause(_ text: String, toStandardError: Bool) async -> Bool {
        TerminalKeys.discardTypeAhead()
        if !text.isEmpty { console.type(text, toStandardError: toStandardError) }
        let pressed = await key()
        if !text.isEmpty { console.type("\n", toStandardError: toStandardError) }
        return Self.decision(for: pressed, typed: false) != .stop
    }

    /// Types `text` out at `delay` ms a key, then a short pause; false when Ctrl-C stopped it.
    /// (Shared by `--typing`, which types the prompt too.)
    static func typeOut(_ text: String, delay: Int, console: Console, interrupts: Interrupts, toStandardError: Bool) async -> Bool {
        console.flush()
        let typed = Task { @MainActor in
            for character in text {
                try await Task.sleep(for: .milliseconds(delay))
                console.type(String(character), toStandardError: toStandardError)
            }
            try await Task.sleep(for: .milliseconds(delay * 4))
        }
        interrupts.begin { typed.cancel() }
        let result = await typed.result
        _ = interrupts.end()
        if case .failure = result {
            console.type("\n", toStandardError: toStandardError)
            console.err("interrupted")
            return false
        }
        return true
    }

    /// One key from the terminal, read on the input thread; a termination signal meanwhile ends
    /// the process at once (nothing is half done while a presenter thinks).
    private func key() async -> TerminalKeys.Key {
        interrupts.waiting(.scriptInput)
        defer { interrupts.waiting(.running) }
        return await InputThread.shared.perform { TerminalKeys.readKey() }
    }

    /// Takes back the line the prompt is on: erased on a terminal that moves its cursor, ended
    /// on a plain one (`TERM=dumb`), which cannot.
    private func erase(_ prompt: String) -> String {
        console.isPlainTerminal ? "\n" : "\r\u{1B}[2K"
    }
}
