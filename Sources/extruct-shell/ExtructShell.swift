import ArgumentParser
import DeepSearch
import DeepSearchSimulator
import FoundationEssentials
import Manual
import POSIXSupport
import ShellKit

#if canImport(Glibc)
import Glibc
#endif

/// The `extruct-shell` executable: parses the process's flags, wires the parts, runs the shell.
struct ExtructShell: AsyncParsableCommand {
    static let version = ProductVersion.current

    static let configuration = CommandConfiguration(
        commandName: "extruct-shell",
        abstract: "An interactive shell for Extruct's Deep Search API.",
        discussion: """
            To start:
            \(GettingStarted.lines.map { "  " + $0 }.joined(separator: "\n"))

            Without a script, on a terminal: the interactive shell. With SCRIPT, -f or -c, or with standard input that is not a terminal: playback, then exit.

            Inside the shell, help lists the commands and help COMMAND explains one; man extruct-shell is the whole manual.

            The URL comes from --api-url, EXTRUCT_API_URL, a profile of $XDG_CONFIG_HOME/extruct-shell/config.toml, or https://api.extruct.ai; the token from --token, EXTRUCT_API_TOKEN or the profile.

            Exit status: 0 success, 1 a command failed, 2 usage error or unreadable script, 3 an expect did not hold, 130 interrupted.
            """,
        version: version)

    @Argument(
        help: ArgumentHelp("A script to play, then exit (- reads standard input).", valueName: "SCRIPT"), completion: .file(extensions: ["exsh"]))
    var script: String?

    @Option(
        name: [.customShort("f"), .customLong("file")],
        help: ArgumentHelp("Play a script file (repeatable, in order; - is standard input).", valueName: "FILE"),
        completion: .file(extensions: ["exsh"]))
    var files: [String] = []

    @Option(name: [.customShort("c"), .customLong("command")], help: "Run one command line (repeatable, in order).")
    var commands: [String] = []

    @Flag(name: [.customShort("i"), .customLong("interactive")], help: "After -f/-c, stay in the interactive shell.")
    var interactive = false

    @Option(name: .customLong("api-url"), help: ArgumentHelp("API base URL (env EXTRUCT_API_URL; default https://api.extruct.ai).", valueName: "URL"))
    var apiURL: String?

    @Option(help: "API token (prefer env EXTRUCT_API_TOKEN: a flag shows in ps).")
    var token: String?

    @Option(
        help: ArgumentHelp("A profile of the config file (url and token).", valueName: "NAME"),
        completion: .custom { _, _, _ in ConfigFile.profileNames() })
    var profile: String?

    @Flag(help: "Start the built-in simulator on a loopback port and use it: no network, no token.")
    var demo = false

    @Flag(help: "Start the guided tutorial: the built-in simulator (as --demo) and the list of lessons.")
    var tutorial = false

    @Flag(help: "Print responses as JSON, one document per command: indented on a terminal, else compact, one a line (JSON Lines).")
    var json = false

    @Flag(name: .customLong("no-color"), help: "No ANSI colour (also when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @Flag(help: "In playback, print each command before its output, as at the prompt.")
    var echo = false

    @Option(help: ArgumentHelp("In playback, type each command out at MS milliseconds per key.", valueName: "MS"))
    var typing: Int?

    @Flag(
        help: ArgumentHelp(
            "Present a script live: each command waits for a key, is typed out (at --typing MS, default 40), then waits for Enter; s skips it, q stops, i opens the prompt until Ctrl-D (after which a failed command asks: r retry, c continue, q stop)."
        ))
    var step = false

    @Option(
        help: ArgumentHelp(
            "Record what the terminal shows as an asciicast v2 file (asciinema play FILE), mode 0600, the token never in it.", valueName: "FILE"),
        completion: .file(extensions: ["cast"]))
    var cast: String?

    @Option(
        name: .customLong("cast-idle-limit"),
        help: ArgumentHelp("The longest pause a --cast recording keeps, in seconds; 0 keeps every pause.", valueName: "S"))
    var castIdleLimit: Double = 2

    @Flag(name: .customLong("continue-on-error"), help: "In playback, go on after a failed command (the exit status still says it failed).")
    var continueOnError = false

    @Flag(name: .customLong("dry-run"), help: "In playback, print the HTTP request each command would send; send nothing.")
    var dryRun = false

    // Unconditional, so that --max-credits -1 is told its range rather than "missing value".
    @Option(
        name: .customLong("max-credits"), parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse, before sending, any command that would take the credits asked for past N in all (set max_credits N in the shell).",
            valueName: "N"))
    var maxCredits: Int?

    @Option(name: .customLong("history-file"), help: ArgumentHelp("Where the interactive history lives.", valueName: "PATH"), completion: .file())
    var historyFile: String?

    @Flag(name: .customLong("no-history"), help: "Keep no history file.")
    var noHistory = false

    @Option(
        name: .customLong("record-http"), help: ArgumentHelp("Append every HTTP exchange to FILE (JSON Lines, token left out).", valueName: "FILE"),
        completion: .file(extensions: ["jsonl"]))
    var recordHTTP: String?

    @Option(
        name: .customLong("replay-http"), help: ArgumentHelp("Answer every request from FILE, offline, in order.", valueName: "FILE"),
        completion: .file(extensions: ["jsonl"]))
    var replayHTTP: String?

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No banner, no progress: results and errors only.")
    var quiet = false

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow sending the token over plain http to a host that is not this machine.")
    var allowInsecureHTTP = false

    @Flag(help: "Log every request to standard error (the token shown as Bearer …).")
    var debug = false

    @Option(help: ArgumentHelp("How long one request may take, in seconds, 0.1 to 600 (default 30; set timeout S in the shell).", valueName: "S"))
    var timeout: Double?

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "Trust the certificate authorities in this PEM file besides the system's (env EXTRUCT_CA_FILE; SSL_CERT_FILE is trusted too).",
            valueName: "FILE"), completion: .file(extensions: ["pem", "crt"]))
    var caFile: String?

    @Option(
        help: ArgumentHelp(
            "Reach the API through this proxy, http://[USER:PASSWORD@]HOST:PORT (default: HTTPS_PROXY, HTTP_PROXY; NO_PROXY applies).",
            valueName: "URL"))
    var proxy: String?

    // Writes this program's manual page (roff or markdown) to standard output: scripts/install
    // and the docs are made from the binary they describe.
    @Option(name: .customLong("generate-manual"), help: .hidden)
    var generateManual: String?

    func validate() throws {
        if let format = generateManual, ManualPage.Format(rawValue: format) == nil {
            throw ValidationError("--generate-manual takes roff or markdown")
        }
        if let typing, !(0...5000).contains(typing) { throw ValidationError("--typing takes 0…5000 milliseconds per key") }
        if !castIdleLimit.isFinite || castIdleLimit < 0 { throw ValidationError("--cast-idle-limit takes seconds, 0 or more") }
        if recordHTTP != nil, replayHTTP != nil { throw ValidationError("--record-http and --replay-http cannot be used together") }
        if noHistory, historyFile != nil { throw ValidationError("--no-history and --history-file cannot be used together") }
        if let timeout, !(0.1...600).contains(timeout) { throw ValidationError("--timeout takes 0.1 to 600 seconds") }
        if let maxCredits, !(0...Spending.largest).contains(maxCredits) {
            throw ValidationError("--max-credits takes a whole number of credits, 0 to \(Spending.largest)")
        }
    }

    /// The URL, the token and the network: flag, environment, profile, default. The config file
    /// is read on every start (a TOMLKit parse is about 12 µs), so a profile's proxy and CA file
    /// apply even when the URL and token come from the environment.
    func resolveEndpoint() throws -> (
        url: String, urlOrigin: String, token: String?, tokenOrigin: String, network: NetworkConfiguration
    ) {
        var url = apiURL.map { ($0, "--api-url") } ?? Environment.value("EXTRUCT_API_URL").map { ($0, "EXTRUCT_API_URL") }
        var tok = token.map { ($0, "--token") } ?? Environment.value("EXTRUCT_API_TOKEN").map { ($0, "EXTRUCT_API_TOKEN") }
        let path = ConfigFile.defaultPath()
        var chosen: (name: String, profile: ConfigFile.Profile)?
        do {
            if let config = try ConfigFile.load(path: path) {
                chosen = try config.profile(profile)
            } else if let profile {
                throw ValidationError("there is no config file at \(path) for --profile \(profile)")
            }
        } catch let problem as ConfigFile.Problem {
            throw ValidationError(problem.description)
        }
        if let (name, profile) = chosen {
            if url == nil, let u = profile.apiURL { url = (u, "profile \(name)") }
            if tok == nil, let t = profile.token { tok = (t, "profile \(name) in \(path)") }
        }
        let network: NetworkConfiguration
        do {
            network = try NetworkSettings.resolve(caFile: caFile, proxy: proxy, profile: chosen)
        } catch {
            throw ValidationError(error.description)
        }
        return (
            url?.0 ?? "https://api.extruct.ai", url?.1 ?? "the default", tok?.0, tok?.1 ?? "nowhere (no --token, EXTRUCT_API_TOKEN or profile)",
            network
        )
    }

    @MainActor
    func makeOptions(order: [ScriptInput]) throws -> ShellOptions {
        let endpoint = try resolveEndpoint()
        var options = ShellOptions(
            apiURL: endpoint.url, apiURLOrigin: endpoint.urlOrigin, token: endpoint.token, tokenOrigin: endpoint.tokenOrigin, version: Self.version)
        options.inputs = order
        options.stayInteractive = interactive
        options.json = json
        options.noColor = noColor
        options.echo = echo
        options.typingMilliseconds = typing
        options.step = step
        options.cast = cast
        options.castIdleLimit = castIdleLimit
        if step {
            if order.isEmpty { throw ValidationError("--step presents a script: give SCRIPT, -f FILE or -c COMMAND") }
            if order.contains(.standardInput) {
                throw ValidationError("--step reads keys from standard input, so the script cannot come from it; give its file")
            }
            if isatty(0) != 1 {
                throw ValidationError("--step waits for keys, and standard input is not a terminal; to play unattended use --typing MS or --echo")
            }
        }
        options.continueOnError = continueOnError
        options.dryRun = dryRun
        options.maxCredits = maxCredits
        options.quiet = quiet
        options.historyFile = historyFile
        options.noHistory = noHistory
        options.recordHTTP = recordHTTP
        options.replayHTTP = replayHTTP
        options.allowInsecureHTTP = allowInsecureHTTP
        options.network = endpoint.network
        options.debug = debug
        options.requestTimeout = timeout
        return options
    }

    /// `-f` and `-c` in the order they were given (ArgumentParser keeps each list's own order only).
    func inputOrder(arguments: [String]) -> [ScriptInput] {
        var order: [ScriptInput] = []
        if let script { order.append(script == "-" ? .standardInput : .file(script)) }
        var files = self.files[...]
        var commands = self.commands[...]
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if ["-f", "--file"].contains(a) || a.hasPrefix("--file=") || (a.hasPrefix("-f") && a.count > 2 && !a.hasPrefix("--")), let f = files.first
            {
                order.append(f == "-" ? .standardInput : .file(f))
                files = files.dropFirst()
            } else if ["-c", "--command"].contains(a) || a.hasPrefix("--command=") || (a.hasPrefix("-c") && a.count > 2 && !a.hasPrefix("--")),
                let c = commands.first
            {
                order.append(.command(c))
                commands = commands.dropFirst()
            }
            i += 1
        }
        order += files.map { $0 == "-" ? .standardInput : .file($0) }
        order += commands.map { .command($0) }
        return order
    }
}

@main
enum Main {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let command: ExtructShell
        do {
            var parsed = try ExtructShell.parseAsRoot(arguments)
            guard let shell = parsed as? ExtructShell else {
                // A built-in of ArgumentParser, such as `help`.
                try parsed.run()
                exit(0)
            }
            command = shell
        } catch {
            let code = ExtructShell.exitCode(for: error)
            let message = ExtructShell.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            FileContents.writeToStandardError("error: " + message.replacing("Error: ", with: "") + "\n")
            exit(2)
        }
        if let format = command.generateManual.flatMap(ManualPage.Format.init(rawValue:)) {
            exit(manual(format))
        }
        let status = await run(command, arguments: arguments)
        exit(status)
    }

    /// Prints extruct-shell(1) in `format`: the options as the parser describes them, the rest
    /// from the shell's own commands and settings.
    @MainActor
    static func manual(_ format: ManualPage.Format) -> Int32 {
        do {
            let options = try CommandLineOptions.items(of: ExtructShell.self)
            print(ShellManual.page(options: options).rendered(as: format), terminator: "")
            return 0
        } catch {
            FileContents.writeToStandardError("error: cannot describe the options: \(error)\n")
            return 1
        }
    }

    @MainActor
    static func run(_ command: ExtructShell, arguments: [String]) async -> Int32 {
        var options: ShellOptions
        do {
            options = try command.makeOptions(order: command.inputOrder(arguments: arguments))
        } catch {
            FileContents.writeToStandardError("error: \(ExtructShell.message(for: error))\n")
            return 2
        }
        // How much faster than real the built-in simulator runs (EXTRUCT_DEMO_SPEED, default 10).
        let speed = Environment.value("EXTRUCT_DEMO_SPEED").map(SimulatorConfiguration.speed) ?? .success(10)
        let simulators = BuiltInSimulator(speed: speed.mapError { SimulatorConfigurationError(description: "EXTRUCT_DEMO_SPEED \($0)") })
        options.startSimulator = { try await simulators.url() }
        if command.demo || command.tutorial, case .failure(let problem) = speed {
            FileContents.writeToStandardError("error: EXTRUCT_DEMO_SPEED \(problem)\n")
            return 2
        }
        if command.demo || command.tutorial {
            if command.tutorial, isatty(0) != 1 {
                FileContents.writeToStandardError("error: --tutorial waits for you to type at a terminal, and standard input is not one\n")
                return 2
            }
            let url: String
            do {
                url = try await simulators.url()
            } catch {
                FileContents.writeToStandardError("error: the demo simulator could not start: \(error)\n")
                return 1
            }
            options.apiURL = url
            options.apiURLOrigin = command.tutorial ? "--tutorial" : "--demo"
            options.token = "demo"
            options.tokenOrigin = options.apiURLOrigin
            options.simulatorURL = url
            options.startTutorial = command.tutorial
            options.notice =
                command.tutorial
                ? "tutorial: lessons on a simulated Deep Search API at \(url) · nothing leaves this machine"
                : "demo: simulated Deep Search API at \(url) · 3 sample tasks · \(Settings.format((try? speed.get()) ?? 10))× speed · nothing leaves this machine"
        }
        let status: Int32
        do {
            let shell = try Shell(options: options)
            status = await shell.run()
        } catch {
            FileContents.writeToStandardError("error: \(error)\n")
            status = 2
        }
        await simulators.stop()
        return status
    }
}

/// The simulator `--demo`, `--tutorial` and lessons run on: started on first use on a loopback
/// port, with the three sample tasks, once per process.
actor BuiltInSimulator {
    /// The speed, or why `EXTRUCT_DEMO_SPEED` cannot be one (said when the simulator is needed).
    private let speed: Result<Double, SimulatorConfigurationError>
    private var running: RunningSimulator?

    init(speed: Result<Double, SimulatorConfigurationError>) {
        self.speed = speed
    }

    func url() async throws -> String {
        if let running { return running.url }
        var configuration = SimulatorConfiguration(port: 0, tokens: ["demo"], seed: 1, speed: try speed.get())
        configuration.host = "127.0.0.1"
        let simulator = Simulator(configuration: configuration)
        await simulator.seedDemoTasks()
        let started = try await simulator.start()
        running = started
        return started.url
    }

    func stop() async {
        await running?.stop()
        running = nil
    }
}
