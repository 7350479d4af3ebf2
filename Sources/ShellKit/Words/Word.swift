/// One word of a command line after quoting and expansion.
public struct Word: Sendable, Hashable, CustomStringConvertible {
    /// The text, with quotes removed and variables expanded.
    public var text: String
    /// Whether any part of it was quoted.
    public var isQuoted: Bool
    /// Whether it is the whole value of one variable (`$x`, `${last.status}`), so a command can
    /// tell a value from a name.
    public var isExpansion: Bool
    /// The column (from 1) where it starts in the line.
    public var column: Int

    public init(_ text: String, isQuoted: Bool = false, isExpansion: Bool = false, column: Int = 1) {
        self.text = text
        self.isQuoted = isQuoted
        self.isExpansion = isExpansion
        self.column = column
    }

    public var description: String { text }
}

/// A problem with the text of a command line: where, and what.
public struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The column (from 1) the problem is at.
    public var column: Int

    public var description: String { message }
}
