import DeepSearch
import FoundationEssentials
import LineEditing
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
    /// The logger of requests while the session's `debug` setting is on.
    public let logger: Logger
    /// The commands, by name and alias.
    public let registry: CommandRegistry
    /// The lines typed at the prompt (`history`, Up and Down, the history file).
    public let history = CommandHistory()
    /// The credits the commands of this process asked for (`--max-credits`, the dry run's total).
    let spendingLedger = SpendingLedger()
    /// Where `record` is writing, when it is (changed by ``apply(_:)`` alone).
    public private(set) var recorder: ScriptRecorder?
    /// The scripts being played, outermost first, to refuse cycles and name the chain.
    public var scriptStack: [String] = []
    /// Whether a script (or `-c`, or piped input) is playing, rather than a person typing.
    public var isPlayback = false
    /// Where `--cast` writes what the terminal shows.
    public var cast: AsciicastRecorder?
    /// What the last `tutorial` command asked of the prompt (see ``takeTutorialRequest()``).
    private(set) var tutorialRequest: TutorialRequest?
    /// The built-in simulator's URL once it runs (`--demo`, `--tutorial`, or started by a lesson).
    var simulatorURL: String?
    /// Paces playback under `--step` (nil otherwise, and while the presenter is at the prompt).
    var presenter: Presenter?
    /// Where task ids are kept for Tab in later processes, and what it holds for the API in use.
    let taskIDCache: TaskIDCache
    /// Where the tutorial's progress is kept.
    let tutorialProgressPath: String
    /// Where the chain of each API is kept for later processes.
    let chainStore: ChainStore
    var cachedTaskIDs: (url: String, ids: [String], known: Set<String>)?
    /// The status `exit` asked to leave with (changed by ``apply(_:)`` alone).
    public private(set) var exitRequest: Int32?
    /// Plays a script file inside the session (for `source`); set by the shell.
    var playFile: ((String, CommandContext) async throws -> Void)?
    /// Words that must never reach the screen or a file: the tokens in use (and the
    /// `EXTRUCT_API_TOKEN` of the environment, which `$EXTRUCT_API_TOKEN` reaches even when
    /// another token is used), proxy passwords. Learning one scrubs it from the files already
    /// written (history, cast, recording, cassette): a value typed before it became the token.
    public var secrets: Set<String> = [] {
        didSet {
            console.setSecrets(secrets)
            let learned = secrets.subtracting(oldValue).filter { $0.count >= Secrets.minimumLength }
            if !learned.isEmpty { secretsLearned?(learned) }
        }
    }
    /// Scrubs newly learned secrets from the files written so far; set by the shell.
    var secretsLearned: ((Set<String>) -> Void)?
    /// Finds the secrets a command line sets and hides every secret in one.
    var redaction: LineRedaction { LineRedaction(registry: registry) }

    /// Applies what a command that succeeded asked for; called by the shell alone.
    func apply(_ effects: CommandEffects) {
        switch effects.recording {
        case .start(let started): recorder = started
        case .stop: recorder = nil
        case nil: break
        }
        if let exit = effects.exit { exitRequest = exit }
        if let tutorial = effects.tutorial { tutorialRequest = tutorial }
    }

    /// What `tutorial` asked of the prompt, once: the request is cleared.
    func takeTutorialRequest() -> TutorialRequest? {
        defer { tutorialRequest = nil }
        return tutorialRequest
    }

    /// Learns the values `line` sets as the token (expanded with `resolve`) as secrets: before
    /// the line is shown, kept in history or recorded.
    func learnSecrets(in line: String, resolve: WordSplitter.Resolver?) {
        let values = redaction.tokens(setBy: line, resolve: resolve).filter { !$0.isEmpty && !secrets.contains($0) }
        if !values.isEmpty { secrets.formUnion(values) }
    }

    /// `line` as it may be shown or kept: no secret in it (see ``LineRedaction``).
    func redacted(_ line: String, replacement: String = "…") -> String {
        redaction.redact(line, secrets: secrets, replacement: replacement)
    }

    init(
        options: ShellOptions, console: Console, transport: any HTTPTransport, clock: any PollingClock, logger: Logger,
        registry: CommandRegistry
    ) {
        self.options = options
        self.console = console
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.registry = registry
        taskIDCache = TaskIDCache(path: options.taskIDCacheFile ?? TaskIDCache.defaultPath())
        tutorialProgressPath = options.tutorialProgressFile ?? TutorialProgress.defaultPath()
        chainStore = ChainStore(path: options.chainFile ?? ChainStore.defaultPath())
        self.simulatorURL = options.simulatorURL
    }

    /// A client for `session`'s URL, token and settings, over the shared transport (or
    /// `transport`); it logs each request while the session's `debug` is on, but `quiet` ones
    /// never do (requests of the shell's own, while the user types).
    func client(for session: Session, through transport: (any HTTPTransport)? = nil, quiet: Bool = false) -> DeepSearchClient {
        let settings = session.settings
        return DeepSearchClient(
            configuration: .init(
                baseURL: session.apiURL, token: session.token, tokenOrigin: session.tokenOrigin,
                userAgent: "extruct-shell/\(options.version)", requestTimeout: .milliseconds(Int64(settings.requestTimeout * 1000)),
                retryPolicy: RetryPolicy(maxAttempts: settings.retries + 1), allowInsecureHTTP: options.allowInsecureHTTP),
            transport: transport ?? self.transport, clock: clock,
            logger: settings.debug && !quiet ? logger : Logger(label: logger.label, factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
