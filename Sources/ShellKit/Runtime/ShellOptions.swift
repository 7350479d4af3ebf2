import DeepSearch

/// One piece of playback input, in the order given on the command line.
public enum ScriptInput: Sendable, Hashable {
    /// A script file.
    case file(String)
    /// Standard input, read as a script.
    case standardInput
    /// One command line from `-c`.
    case command(String)
}

/// How the shell was started: everything the process's flags and environment decided.
public struct ShellOptions: Sendable {
    public var apiURL: String
    public var apiURLOrigin: String
    public var token: String?
    public var tokenOrigin: String
    /// Scripts and `-c` commands to play, in order.
    public var inputs: [ScriptInput] = []
    /// Stay interactive after playing `inputs` (`-i`).
    public var stayInteractive = false
    public var json = false
    public var noColor = false
    public var echo = false
    /// Milliseconds per key when typing commands out in playback.
    public var typingMilliseconds: Int?
    /// Where to write an asciicast recording of the session (`--cast`).
    public var cast: String?
    /// The longest pause the cast keeps, in seconds.
    public var castIdleLimit: Double = 2
    /// Presenter mode: each command waits for a key, is typed out, waits for Enter.
    public var step = false
    public var continueOnError = false
    public var dryRun = false
    /// The most credits the commands of this process may ask for in all (`--max-credits`).
    public var maxCredits: Int?
    public var quiet = false
    /// nil: the default place; "" with `noHistory`.
    public var historyFile: String?
    public var noHistory = false
    /// Where the task ids Tab completes are kept, and the tutorial's progress; nil: the default
    /// places (`$XDG_CACHE_HOME`, `$XDG_STATE_HOME`). Tests give a folder of their own.
    public var taskIDCacheFile: String?
    public var tutorialProgressFile: String?
    /// Where the current chain is kept; nil: `$XDG_STATE_HOME`.
    public var chainFile: String?
    public var recordHTTP: String?
    public var replayHTTP: String?
    public var allowInsecureHTTP = false
    /// Trusted certificate files and proxies.
    public var network = NetworkConfiguration.direct
    public var debug = false
    /// Seconds one request may take (`--timeout`); nil: the setting's default.
    public var requestTimeout: Double?
    /// The URL of the built-in simulator this process runs (`--demo`, `--tutorial`).
    public var simulatorURL: String?
    /// Starts the built-in simulator (once) and gives its URL: a lesson never runs on the API.
    public var startSimulator: (@Sendable () async throws -> String)?
    /// Show the lessons at the first prompt (`--tutorial`).
    public var startTutorial = false
    /// A line shown before the banner (the `--demo` notice).
    public var notice: String?
    public var version: String

    public init(apiURL: String, apiURLOrigin: String, token: String?, tokenOrigin: String, version: String) {
        self.apiURL = apiURL
        self.apiURLOrigin = apiURLOrigin
        self.token = token
        self.tokenOrigin = tokenOrigin
        self.version = version
    }
}

/// The three ways to start, which the banner shows when there is no token and `--help` leads with.
public enum GettingStarted {
    public static let lines = [
        "extruct-shell --tutorial   guided lessons on a simulated API",
        "extruct-shell --demo       a simulated API; nothing leaves this machine",
        "EXTRUCT_API_TOKEN=…        your account (app.extruct.ai/api-tokens)",
    ]
}
