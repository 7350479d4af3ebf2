import FoundationEssentials
import LineEditing

/// The lines typed at the prompt: in memory for `history` and the editor's Up and Down, and in
/// the history file (mode 0600). A line is kept with every secret hidden, and a secret learned
/// later is hidden in every line already kept (``rewrite(_:console:)``).
@MainActor
public final class CommandHistory {
    /// Lines, oldest first: the file's, then this process's.
    public private(set) var lines: [String] = []
    /// The file, once the prompt opened it (none with `--no-history`).
    private var file: HistoryFile?
    /// The line reader of the prompt being shown, whose Up/Down history follows ``lines``.
    var reader: (any LineReader)?

    init() {}

    /// `$XDG_STATE_HOME/extruct-shell/history`.
    static func defaultPath() -> String {
        let state = Environment.value("XDG_STATE_HOME") ?? (Environment.home + "/.local/state")
        return state + "/extruct-shell/history"
    }

    /// Opens the file at `path` (creating it 0600, tightening a looser one) and loads its lines;
    /// false (with a warning) when it cannot: history is then off.
    func open(path: String, console: Console) -> Bool {
        let file = HistoryFile(path: path)
        do {
            try file.prepare()
        } catch {
            console.err("warning: history is off: \(error)")
            return false
        }
        lines = file.load()
        self.file = file
        return true
    }

    /// Keeps `line`, whose secrets are already hidden, unless it repeats the last one: in memory,
    /// in the reader and in the file.
    func remember(_ line: String, console: Console) {
        guard lines.last != line else { return }
        lines.append(line)
        reader?.addToHistory(line)
        do {
            try file?.append(line)
        } catch {
            console.err("warning: \(error)")
        }
    }

    /// Passes every line kept through `hide`: in memory, in the reader and in the file.
    func rewrite(_ hide: (String) -> String, console: Console) {
        lines = lines.map(hide)
        reader?.replaceHistory(lines)
        guard let file else { return }
        do { try file.rewrite(hide) } catch { console.err("warning: \(error)") }
    }
}
