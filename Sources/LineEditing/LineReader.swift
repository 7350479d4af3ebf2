/// What one attempt to read a line gave.
public enum LineReadResult: Sendable, Equatable {
    /// A line, without its line ending.
    case line(String)
    /// Ctrl-C at the prompt: the line was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case endOfInput
    /// The shell was asked to stop (SIGTERM or SIGHUP) while waiting.
    case stopped
}

/// Reads the lines a user types. ``EditLineReader`` edits on a terminal; ``PlainLineReader``
/// reads anything else, with no prompt and no escapes.
public protocol LineReader: AnyObject {
    /// Shows `prompt` (a terminal only) and reads one line.
    func readLine(prompt: String) -> LineReadResult
    /// Shows the prompt `layout` gives for the terminal's width, and reads one line.
    func readLine(promptFor layout: @escaping @Sendable (Int) -> String) -> LineReadResult
    /// Makes `line` available to Up/Down and Ctrl-R in this session.
    func addToHistory(_ line: String)
    /// Puts `lines` in place of what Up/Down and Ctrl-R offer (a secret learned later hidden).
    func replaceHistory(_ lines: [String])
    /// Whether a person is typing at a terminal.
    var isInteractive: Bool { get }
    /// Puts the terminal back as it was found; safe to call more than once.
    func close()
}

extension LineReader {
    public func readLine(promptFor layout: @escaping @Sendable (Int) -> String) -> LineReadResult {
        readLine(prompt: layout(EditLineReader.columns))
    }
}

/// Completion candidates for the word before the cursor.
public struct Completion: Sendable, Equatable {
    /// How many characters before the cursor the candidates replace.
    public var replacing: Int
    /// Full replacements for those characters.
    public var candidates: [String]
    /// Whether a lone candidate is final (a space follows it) rather than a directory to go into.
    public var appendsSpace: Bool

    public init(replacing: Int, candidates: [String], appendsSpace: Bool = true) {
        self.replacing = replacing
        self.candidates = candidates
        self.appendsSpace = appendsSpace
    }

    /// No candidates.
    public static let none = Completion(replacing: 0, candidates: [])

    /// The longest prefix all candidates share.
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
