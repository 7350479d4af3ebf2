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
    /// What the command asks of the shell besides the session; applied with it on success.
    var effects = CommandEffects()
    /// The command this one runs inside (`source`), whose effects take this one's.
    let parent: CommandContext?
    /// Task ids typed in part and the whole ids they stood for, so `record` writes whole ids.
    var resolvedTaskIDs: [(typed: String, id: String)] = []
    /// Tasks as the API last showed them while the command ran: kept by the session even when
    /// the command is stopped or fails (they are facts seen, not changes the command made).
    private(set) var observed: [DiscoveryTask] = []
    /// The spending guard: asked before every request that may spend credits.
    public private(set) lazy var spending = Spending(self)
    /// The chain as a command grew it: kept by the session even when the command is stopped or
    /// fails (its tasks exist; see `Shell.keepChain`).
    var keptChain: Chain?

    init(session: Session, environment: ShellEnvironment, line: String, parent: CommandContext? = nil) {
        self.session = session
        self.environment = environment
        self.line = line
        self.parent = parent
    }

    /// Where `record` writes as things stand for this command: what it (or a command it runs
    /// inside) asked for so far, else the shell's.
    var recorder: ScriptRecorder? {
        var context: CommandContext? = self
        while let current = context {
            switch current.effects.recording {
            case .start(let recorder): return recorder
            case .stop: return nil
            case nil: context = current.parent
            }
        }
        return environment.recorder
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

    /// Notes `task` as seen now; see ``observed``.
    func observe(_ task: DiscoveryTask) {
        observed.removeAll { $0.id == task.id }
        observed.append(task)
    }

    /// Prints `json` on standard output: pretty on a terminal, else one compact document a line
    /// (JSON Lines), so the output of several commands is read line by line and by jq.
    public func printJSON(_ json: JSONValue) {
        console.out(console.outputIsTerminal ? JSONWriter.pretty(json) : JSONWriter.compact(json))
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
