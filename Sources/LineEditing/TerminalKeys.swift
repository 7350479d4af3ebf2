#if canImport(Glibc)
import Glibc
#endif

/// Single keys from the terminal on standard input, for a presenter stepping through a script:
/// in key mode a key is read as soon as it is pressed and not echoed, while Ctrl-C still sends
/// SIGINT (so it stops a request as it does anywhere else).
public enum TerminalKeys {
    /// One key press.
    public enum Key: Sendable, Equatable {
        /// Return or Enter.
        case enter
        /// A printable character.
        case character(Character)
        /// Ctrl-C.
        case interrupt
        /// Ctrl-D, or the terminal went away.
        case endOfInput
        /// Anything else: an arrow, a function key, a control character.
        case other
    }

    /// Turns echo and line editing off on standard input (`ISIG` stays on). Returns false when
    /// standard input is not a terminal. ``SignalMonitor/saveTerminal()`` should have saved the
    /// settings first, so every way out restores them.
    @discardableResult
    public static func enterKeyMode() -> Bool {
        var settings = termios()
        guard isatty(0) == 1, tcgetattr(0, &settings) == 0 else { return false }
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ECHONL | IEXTEN)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        return tcsetattr(0, TCSANOW, &settings) == 0
    }

    /// Drops keys pressed before now (while a command ran), so a key only ever answers the
    /// question on the screen.
    public static func discardTypeAhead() {
        tcflush(0, TCIFLUSH)
    }

    /// Waits for one key (blocking: call it off the main actor). The rest of an escape sequence
    /// or of a UTF-8 character is read with it. While it waits, Ctrl-C is a key (``Key/interrupt``)
    /// rather than a signal, so whoever asked can stop in good order.
    public static func readKey() -> Key {
        var settings = termios()
        let saved = tcgetattr(0, &settings) == 0
        if saved {
            var quiet = settings
            quiet.c_lflag &= ~tcflag_t(ISIG)
            tcsetattr(0, TCSANOW, &quiet)
        }
        defer { if saved { tcsetattr(0, TCSANOW, &settings) } }
        guard let first = readByte() else { return .endOfInput }
        switch first {
        case 0x03: return .interrupt
        case 0x0D, 0x0A: return .enter
        case 0x04: return .endOfInput
        case 0x1B:
            drainPending()
            return .other
        case 0x20...0x7E: return .character(Character(Unicode.Scalar(first)))
        case 0xC0...0xF7:
            var bytes = [first]
            let count = first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : 1
            for _ in 0..<count {
                guard let next = readByte() else { break }
                bytes.append(next)
            }
            return String(validating: bytes, as: UTF8.self).flatMap(\.first).map(Key.character) ?? .other
        default: return .other
        }
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n == 1 { return byte }
            if n < 0, errno == EINTR { continue }
            return nil
        }
    }

    /// Reads what follows an escape within 30 ms (an arrow key's `[A`), so it is not taken for
    /// keys of its own.
    private static func drainPending() {
        var buffer = [UInt8](repeating: 0, count: 32)
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 30) == 1 {
            if buffer.withUnsafeMutableBytes({ read(0, $0.baseAddress, $0.count) }) <= 0 { return }
        }
    }
}
