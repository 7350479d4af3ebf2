import DeepSearch

/// A command that could not do its job for a reason the shell itself found (not the API).
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Wrong arguments or a refused value: exit status 1.
        case usage
        /// Text that cannot be parsed (quotes, unknown command): exit status 2.
        case syntax
        /// An `expect` that did not hold: exit status 3.
        case expectation
        /// Anything else that went wrong here (a file, the terminal): exit status 1.
        case local
    }

    public var kind: Kind
    public var message: String
    /// Where a syntax problem is, from 1.
    public var column: Int?

    public init(_ kind: Kind, _ message: String, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.column = column
    }

    public static func usage(_ message: String) -> CommandFailure { CommandFailure(.usage, message) }
    public static func local(_ message: String) -> CommandFailure { CommandFailure(.local, message) }
    public static func syntax(_ message: String, column: Int? = nil) -> CommandFailure { CommandFailure(.syntax, message, column: column) }

    public var description: String { message }
}

/// The process's exit statuses, as documented: the same for `-c`, `-f` and piped input.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A command failed: HTTP or transport error, refused input.
    public static let commandFailed: Int32 = 1
    /// A usage error, or a script that cannot be read or parsed.
    public static let usage: Int32 = 2
    /// An `expect` did not hold.
    public static let expectationFailed: Int32 = 3
    /// Playback interrupted by Ctrl-C.
    public static let interrupted: Int32 = 130
}

/// The one place an error becomes the user's `error:` line and an exit status.
public enum ErrorPresenter {
    /// The message (without `error: `) and the exit status for `error`.
    public static func describe(_ error: any Error) -> (message: String, status: Int32) {
        switch error {
        case let e as DeepSearchError:
            return (e.description, e.code == .notSent ? ExitStatus.success : ExitStatus.commandFailed)
        case let e as CommandFailure:
            let status: Int32 =
                switch e.kind {
                case .usage, .local: ExitStatus.commandFailed
                case .syntax: ExitStatus.usage
                case .expectation: ExitStatus.expectationFailed
                }
            return (e.message, status)
        case let e as ShellSyntaxError:
            return (e.message, ExitStatus.usage)
        case is CancellationError:
            return ("interrupted", ExitStatus.interrupted)
        default:
            return (String(describing: error).withoutControlCharacters, ExitStatus.commandFailed)
        }
    }

    /// `error: [place: ][command: ]message`, on one line, with nothing from the terminal's
    /// control set in it.
    /// (The console hides the tokens in use from everything it writes, this line included.)
    public static func line(for error: any Error, place: String? = nil, command: String? = nil) -> String {
        var text = describe(error).message
        if let command {
            // The line already names its command: `use 3f: use: …` says it once.
            if let name = command.split(separator: " ").first, text.hasPrefix(name + ": ") { text.removeFirst(name.count + 2) }
            text = "\(command): \(text)"
        }
        if let place { text = "\(place): \(text)" }
        return "error: " + text.withoutControlCharacters
    }
}
