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
    /// Where it is in the line as written, quotes included: Unicode scalar offsets.
    public var span: Range<Int>

    public init(_ text: String, isQuoted: Bool = false, isExpansion: Bool = false, column: Int = 1, span: Range<Int>? = nil) {
        self.text = text
        self.isQuoted = isQuoted
        self.isExpansion = isExpansion
        self.column = column
        self.span = span ?? (column - 1)..<(column - 1 + text.unicodeScalars.count)
    }

    public var description: String { text }
}

/// A problem with the text of a command line: where, and what.
public struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem: the text cannot be read, or it names a variable that is not set.
    public enum Kind: Sendable, Hashable {
        case syntax
        case unsetVariable
    }

    public var message: String
    /// The column (from 1) the problem is at.
    public var column: Int
    public var kind: Kind = .syntax

    public var description: String { message }
}
