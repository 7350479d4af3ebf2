import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// A command of the shell: its outside (``spec``) and what it does.
@MainActor
public protocol ShellCommand {
    static var spec: CommandSpec { get }
    /// Runs with `arguments`; works on `context.session`, which is kept only if this returns.
    static func run(_ arguments: Arguments, _ context: CommandContext) async throws
}

/// What a running command can use: a working copy of the session, the console, the API.
@MainActor
public final class CommandContext {
    /// The working copy; kept when the command succeeds.
    public var session: Session
    public let environment: ShellEnvironment
    /// The command line as typed (before expansion), for messages.
    public let line: String
    /// Task ids typed in part and the whole ids they stood for, so `record` writes whole ids.
    var resolvedTaskIDs: [(typed: String, id: String)] = []

    init(session: Session, environment: ShellEnvironment, line: String) {
        self.session = session
        self.environment = environment
        self.line = line
    }

    public var console: Console { environment.console }
    public var settings: Settings { session.settings }

    /// Styling for standard output.
    public var style: Style { Style(enabled: console.colorOnOutput(session.settings)) }
    /// Styling for standard error.
    public var errorStyle: Style { Style(enabled: console.colorOnError(session.settings)) }
    /// Columns tables may use.
    public var width: Int { session.settings.width ?? (console.outputIsTerminal ? console.terminalWidth : 100) }
    public var wantsJSON: Bool { session.settings.output == .json }
    public var now: Date { Date() }

    /// A client for the session's URL, token and settings.
    public func client() -> DeepSearchClient {
        environment.client(for: session)
    }

    /// The current task, or a clear error.
    public func currentTask() throws(CommandFailure) -> String {
        guard let id = session.currentTask else {
            throw .usage("no current task; pick one with use ID (tasks lists them) or start one with create")
        }
        return id
    }

    /// Prints `json` on standard output as one pretty document.
    public func printJSON(_ json: JSONValue) {
        console.out(JSONWriter.pretty(json))
    }

    /// Records a successful API answer as the last response.
    public func remember(_ raw: JSONValue, status: Int) {
        session.lastResponse = raw
        session.lastHTTPStatus = status
    }

    /// The page size for reading every result (`results --all`, `export`): at least 100 rows a
    /// page, so a full task (250) is three requests, sent together.
    public var bulkPageSize: Int { max(100, settings.pageSize) }

    /// Progress for people on standard error, unless `--quiet` (then the text is not even made).
    public func progress(_ text: @autoclosure () -> String) {
        if !environment.options.quiet { console.err(text()) }
    }
}
