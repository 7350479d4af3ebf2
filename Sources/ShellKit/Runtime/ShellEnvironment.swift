import DeepSearch
import FoundationEssentials
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What lives for the whole process, apart from the session: options, console, the one HTTP
/// transport, the clock, history, the recorder, the script stack.
@MainActor
public final class ShellEnvironment {
    public let options: ShellOptions
    public let console: Console
    /// The one transport of the process (a keep-alive pool, or a cassette, or a dry run).
    public let transport: any HTTPTransport
    public let clock: any PollingClock
    public let logger: Logger
    /// The commands, by name and alias.
    public let registry: CommandRegistry
    /// Lines of history, oldest first (loaded from the file plus this session's).
    public var history: [String] = []
    /// Where `record` is writing, when it is.
    public var recorder: ScriptRecorder?
    /// The scripts being played, outermost first, to refuse cycles and name the chain.
    public var scriptStack: [String] = []
    /// Whether a script (or `-c`, or piped input) is playing, rather than a person typing.
    public var isPlayback = false
    /// Where `--cast` writes what the terminal shows.
    public var cast: AsciicastRecorder?
    /// What the last `tutorial` command asked of the prompt.
    var tutorialRequest: TutorialRequest?
    /// The built-in simulator's URL once it runs (`--demo`, `--tutorial`, or started by a lesson).
    var simulatorURL: String?
    /// Paces playback under `--step` (nil otherwise, and while the presenter is at the prompt).
    var presenter: Presenter?
    /// Where task ids are kept for Tab in later processes, and what it holds for the API in use.
    let taskIDCache = TaskIDCache(path: TaskIDCache.defaultPath())
    var cachedTaskIDs: (url: String, ids: [String])?
    /// Set by `exit`.
    public var exitRequest: Int32?
    /// Plays a script file inside the session (for `source`); set by the shell.
    var playFile: ((String, CommandContext) async throws -> Void)?
    /// Words that must never reach the screen or a file: the tokens in use.
    public var secrets: Set<String> = [] {
        didSet { console.setSecrets(secrets) }
    }

    init(options: ShellOptions, console: Console, transport: any HTTPTransport, clock: any PollingClock, logger: Logger) {
        self.options = options
        self.console = console
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.registry = CommandRegistry.standard
        self.simulatorURL = options.simulatorURL
    }

    /// A client for `session`'s URL, token and settings, over the shared transport (or `transport`).
    func client(for session: Session, through transport: (any HTTPTransport)? = nil) -> DeepSearchClient {
        let settings = session.settings
        return DeepSearchClient(
            configuration: .init(
                baseURL: session.apiURL, token: session.token, tokenOrigin: session.tokenOrigin,
                userAgent: "extruct-shell/\(options.version)", requestTimeout: .milliseconds(Int64(settings.requestTimeout * 1000)),
                retryPolicy: RetryPolicy(maxAttempts: settings.retries + 1), allowInsecureHTTP: options.allowInsecureHTTP),
            transport: transport ?? self.transport, clock: clock, logger: logger)
    }
}
