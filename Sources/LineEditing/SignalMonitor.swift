import CLineSupport
import POSIXSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Receives SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH outside signal context, on a thread of
/// its own, and hands them to one handler. SIGPIPE is ignored from then on.
public final class SignalMonitor: Sendable {
    /// The process's monitor.
    public static let shared = SignalMonitor()

    private let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    private let started = Mutex(false)

    private init() {}

    /// Installs the handlers (once) and routes every later signal to `handler`, replacing any
    /// earlier one.
    public func start(_ handler: @escaping @Sendable (Int32) -> Void) {
        self.handler.withLock { $0 = handler }
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        let fd = ex_signals_install()
        guard fd >= 0 else { return }
        BackgroundThread.start(name: "extruct-signals") { [self] in
            Self.pump(fd) { signal in
                let current = self.handler.withLock { $0 }
                current?(signal)
            }
        }
    }

    /// Hands each signal number read from the pipe `fd` to `deliver`, waiting in `poll`; returns
    /// when the pipe cannot be read any more (closed, invalid, a `poll` error that will not heal)
    /// rather than spinning on it.
    static func pump(_ fd: Int32, _ deliver: (Int32) -> Void) {
        var byte: UInt8 = 0
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, -1) < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, ENOMEM:
                    // Short of memory for a moment: try again shortly, without spinning.
                    usleep(10_000)
                    continue
                default: return
                }
            }
            if pfd.revents & Int16(POLLNVAL) != 0 { return }
            while true {
                let n = read(fd, &byte, 1)
                if n == 1 {
                    deliver(Int32(byte))
                    continue
                }
                if n == 0 { return }  // every write end is closed: no signal can come any more
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                return
            }
        }
    }

    /// Wakes a line editor waiting for a key so it returns `.stopped`.
    public static func stopEditor() { ex_editor_wake(Int32(EX_WAKE_STOP)) }

    /// Wakes a line editor waiting for a key so it re-reads the window size.
    public static func resizeEditor() { ex_editor_wake(Int32(EX_WAKE_RESIZE)) }

    /// Saves the terminal settings of standard input so ``restoreTerminal()`` and fatal signals
    /// can put them back.
    public static func saveTerminal() { _ = ex_terminal_save(0) }

    /// Puts back the terminal settings saved by ``saveTerminal()``.
    public static func restoreTerminal() { ex_terminal_restore() }
}
