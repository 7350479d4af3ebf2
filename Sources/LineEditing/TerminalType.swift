#if canImport(Glibc)
import Glibc
#endif

/// What the terminal named by `TERM` can do. A terminal that is `dumb`, unnamed, or named but
/// unknown to terminfo gets plain text, as a pipe does: no colour, no cursor movement, no line
/// editor drawing over itself (Emacs's shell mode, a serial console, a CI log viewer).
public enum TerminalType {
    /// Whether `TERM` (as given, or the environment's) asks for plain text.
    public static func isPlain(term given: String?? = nil) -> Bool {
        let term: String?
        if let given {
            term = given
        } else {
            term = getenv("TERM").map { String(cString: $0) }
        }
        guard let term, !term.isEmpty, term != "dumb" else { return true }
        return !hasTerminfoEntry(term)
    }

    /// Whether terminfo describes `term`, in the places ncurses looks: `$TERMINFO`, `~/.terminfo`,
    /// `$TERMINFO_DIRS`, then the system's folders; an entry is `DIR/c/NAME` or `DIR/hh/NAME`.
    static func hasTerminfoEntry(_ term: String) -> Bool {
        guard let first = term.utf8.first, !term.contains("/") else { return false }
        var directories: [String] = []
        if let dir = getenv("TERMINFO") { directories.append(String(cString: dir)) }
        if let home = getenv("HOME") { directories.append(String(cString: home) + "/.terminfo") }
        if let dirs = getenv("TERMINFO_DIRS") {
            directories += String(cString: dirs).split(separator: ":", omittingEmptySubsequences: false).map {
                $0.isEmpty ? "/usr/share/terminfo" : String($0)
            }
        }
        directories += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
        let letter = String(UnicodeScalar(first))
        let hex = String(first, radix: 16)
        for directory in directories {
            for sub in [letter, hex] where access(directory + "/" + sub + "/" + term, R_OK) == 0 {
                return true
            }
        }
        return false
    }
}

/// Keys typed while a command runs: not echoed over its output (a `watch` line), kept by the
/// terminal for the next prompt, as psql does. Canonical mode and signals stay as they are, so
/// Ctrl-C still stops the command.
public enum TypeAhead {
    /// Turns echo off on standard input, when it is a terminal with echo on.
    public static func hide() {
        var settings = termios()
        guard isatty(0) == 1, tcgetattr(0, &settings) == 0, settings.c_lflag & tcflag_t(ECHO) != 0 else { return }
        settings.c_lflag &= ~tcflag_t(ECHO)
        // TCSANOW: what was typed stays in the terminal's queue for the line editor.
        tcsetattr(0, TCSANOW, &settings)
    }

    /// Turns echo back on, before the line editor takes the terminal (it keeps the modes it
    /// finds as those to restore).
    public static func show() {
        var settings = termios()
        guard isatty(0) == 1, tcgetattr(0, &settings) == 0, settings.c_lflag & tcflag_t(ECHO) == 0 else { return }
        settings.c_lflag |= tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &settings)
    }
}
