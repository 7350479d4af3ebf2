import LineEditing
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the signal thread and the shell share: the running command (to cancel it), whether the
/// shell waits for input, and a termination request.
final class Interrupts: Sendable {
    enum Waiting: Sendable { case running, prompt, scriptInput }

    private struct State {
        var cancel: (@Sendable () -> Void)?
        var interrupted = false
        /// Ctrl-C in playback between two commands: the next one is stopped before it starts.
        var pendingInterrupt = false
        var termination: Int32?
        var waiting: Waiting = .running
        var playback = false
    }

    private let state = Mutex(State())
    /// Called (on the signal thread) when the window changes size.
    private let resized = Mutex<(@Sendable () -> Void)?>(nil)

    /// Calls `action` when the window changes size.
    func onResize(_ action: @escaping @Sendable () -> Void) {
        resized.withLock { $0 = action }
    }

    /// Handles one signal (called on the signal thread).
    func handle(_ signal: Int32) {
        switch signal {
        case SIGINT:
            let action = state.withLock { state -> (cancel: (@Sendable () -> Void)?, exitNow: Bool) in
                if let cancel = state.cancel {
                    state.interrupted = true
                    return (cancel, false)
                }
                guard state.playback else { return (nil, false) }
                if state.waiting == .scriptInput { return (nil, true) }
                state.pendingInterrupt = true
                return (nil, false)
            }
            action.cancel?()
            if action.exitNow { Self.leave(ExitStatus.interrupted) }
        case SIGTERM, SIGHUP:
            let action = state.withLock { state -> (cancel: (@Sendable () -> Void)?, waiting: Waiting) in
                state.termination = signal
                return (state.cancel, state.waiting)
            }
            action.cancel?()
            switch action.waiting {
            case .prompt: SignalMonitor.stopEditor()
            case .scriptInput: Self.leave(128 + signal)
            case .running: break
            }
        case SIGWINCH:
            SignalMonitor.resizeEditor()
            resized.withLock { $0 }?()
        default:
            break
        }
    }

    /// Ends the process at once (only while it waits for input, with nothing half-done).
    private static func leave(_ status: Int32) -> Never {
        SignalMonitor.restoreTerminal()
        _exit(status)
    }

    /// A command starts; `cancel` stops it.
    func begin(_ cancel: @escaping @Sendable () -> Void) {
        let pending = state.withLock { state -> Bool in
            let pending = state.pendingInterrupt
            state.pendingInterrupt = false
            state.cancel = cancel
            state.interrupted = pending
            state.waiting = .running
            return pending
        }
        if pending { cancel() }
    }

    /// The command ended; whether Ctrl-C interrupted it.
    func end() -> Bool {
        state.withLock { state in
            state.cancel = nil
            return state.interrupted
        }
    }

    func waiting(_ what: Waiting) {
        state.withLock { $0.waiting = what }
    }

    func setPlayback(_ on: Bool) {
        state.withLock { state in
            state.playback = on
            state.pendingInterrupt = false
        }
    }

    /// The signal that asked the shell to stop, if one did.
    var termination: Int32? { state.withLock { $0.termination } }
}
