import DeepSearch
import DeepSearchSimulator
import FoundationEssentials
import POSIXSupport
import ShellKit
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs generated command lines through the real `Shell` against an in-process simulator over
/// loopback HTTP, and checks what every line must do: nothing traps (a trap ends the process,
/// which the fuzzer or the test run reports), the line ends in its output or exactly one
/// `error:` line (at most one when it succeeds: `try`), the token in use never shows, and the
/// next line still runs.
@MainActor
public final class CommandFuzzer {
    /// The token the shell uses; it must never reach its output.
    static let token = "xtk_fuzz_9d8c7b6a5f4e3d2c1b0a"
    /// With `EXTRUCT_FUZZ_LOG=FILE`, each line, its status and its first error line are appended
    /// there (for figures and for reading what was generated).
    private static let log: Int32? = Environment.value("EXTRUCT_FUZZ_LOG").map {
        open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }

    private var running: RunningSimulator
    private var clock: FuzzClock
    private let transport: DefaultTransport
    private let directory: String
    private let output: Int32
    private let errors: Int32
    public let generator: CommandLineGenerator
    private var lines = 0
    /// Inputs run on the current simulator: it is replaced every ``inputsPerSimulator``, so the
    /// tasks lines create (and the files they write) do not pile up over a long run.
    private var inputs = 0
    static let inputsPerSimulator = 400

    /// A fuzzer with a simulator of its own (three sample tasks) and a private directory, which
    /// becomes the process's working directory: a line may name any file, and `export csv` must
    /// not land beside the sources. (So it runs in a process of its own: `extruct-fuzz`.)
    public init() async throws {
        let (running, clock, tasks) = try await Self.startSimulator()
        self.running = running
        self.clock = clock
        transport = DefaultTransport()
        guard let directory = makeTemporaryFolder(prefix: "extruct-fuzz") else {
            await running.stop()
            throw CommandFailure.local("cannot make a folder to work in under TMPDIR")
        }
        self.directory = directory
        output = open(directory + "/.stdout", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        errors = open(directory + "/.stderr", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        generator = CommandLineGenerator(registry: .standard, taskIDs: tasks.map(\.id), directory: directory)
        guard chdir(directory) == 0 else { throw CommandFailure.local("cannot work in \(directory)") }
    }

    /// The property test: `count` lines from `seed`, on shells started afresh every fifty lines
    /// (settings and variables a line left do not pile up for ever); what went wrong (at most 20).
    public func property(seed: UInt64, count: Int) async throws -> [String] {
        var choices = SeededChoices(seed: seed)
        var problems: [String] = []
        var shell = try await startShell()
        for number in 0..<count where problems.count < 20 {
            if number % 50 == 49 {
                let task = choices.pick(5)
                shell = try await startShell(task: task == 4 ? nil : task)
            }
            problems += await check(generator.line(&choices), on: shell)
        }
        return problems
    }

    /// A simulator on a manual clock with the three sample tasks (the same ids every time).
    private static func startSimulator() async throws -> (RunningSimulator, FuzzClock, [DiscoveryTask]) {
        let simulatorClock = ManualClock()
        var configuration = SimulatorConfiguration(port: 0, tokens: [token], seed: 3, speed: 1, clock: simulatorClock)
        configuration.host = "127.0.0.1"
        let simulator = Simulator(configuration: configuration)
        let tasks = await simulator.seedDemoTasks()
        return (try await simulator.start(), FuzzClock(simulator: simulatorClock), tasks)
    }

    /// Stops the simulator and removes the directory.
    public func close() async {
        await transport.shutdown()
        await running.stop()
        Glibc.close(output)
        Glibc.close(errors)
        removeFiles()
        rmdir(directory)
    }

    /// Removes what lines wrote in the directory (the output files stay).
    private func removeFiles() {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !entry.hasPrefix(".std") {
            unlink(directory + "/" + entry)
        }
    }

    /// A shell as a user starts it against the simulator (no history, no colour, quiet), its
    /// output going to files this fuzzer reads after each line.
    public func makeShell() throws -> Shell {
        var options = ShellOptions(
            apiURL: running.url, apiURLOrigin: "the fuzzer", token: Self.token, tokenOrigin: "the fuzzer", version: "fuzz")
        options.noHistory = true
        options.noColor = true
        options.quiet = true
        options.chainFile = directory + "/chain.json"
        return try Shell(options: options, transport: transport, clock: clock, console: Console(outFD: output, errFD: errors, colorForbidden: true))
    }

    /// A new shell with `$tok` holding the token, as a script that mentions it would have it,
    /// and (with `task`) the simulator's task of that number as the current task, so the
    /// commands that need one get past that.
    public func startShell(task: Int? = 0) async throws -> Shell {
        let shell = try makeShell()
        _ = await shell.run(line: "set tok \(Self.token)", place: "fuzz:setup")
        if let task, !generator.taskIDs.isEmpty {
            _ = await shell.run(line: "use \(generator.taskIDs[task % generator.taskIDs.count])", place: "fuzz:setup")
        }
        _ = take()
        return shell
    }

    /// Runs the command lines `bytes` choose (at most eight) on a new shell; what went wrong.
    public func run(_ bytes: [UInt8]) async -> [String] {
        inputs += 1
        if inputs % Self.inputsPerSimulator == 0, let fresh = try? await Self.startSimulator() {
            await running.stop()
            (running, clock) = (fresh.0, fresh.1)
            removeFiles()
        }
        var choices = ByteChoices(bytes)
        let task = choices.pick(5)
        guard let shell = try? await startShell(task: task == 4 ? nil : task) else { return ["the shell could not start"] }
        var problems: [String] = []
        for _ in 0..<8 where !choices.isExhausted {
            problems += await check(generator.line(&choices), on: shell)
        }
        return problems
    }

    /// Runs `line` on `shell`, then a line that must still work; returns what went wrong (nothing: all held).
    public func check(_ line: String, on shell: Shell) async -> [String] {
        lines += 1
        var problems: [String] = []
        let status = await shell.run(line: line, place: "fuzz:\(lines)")
        let (out, err) = take()
        if let log = Self.log {
            _ = FileContents.writeAll(
                log, Array("\(status)\t\(line.prefix(200).debugDescription)\t\(err.split(separator: "\n").first?.prefix(200) ?? "")\n".utf8))
        }
        let errorLines = err.split(separator: "\n").filter { $0.hasPrefix("error:") }
        let shown = String(line.prefix(300)).debugDescription
        // A sourced script's `try` lines print their errors and go on: those are part of what
        // `source` shows, and its own failure is one line more.
        // Its words as the shell reads them (a command name may be quoted).
        let words = ((try? WordSplitter.split(line, resolve: nil)) ?? []).prefix(2).map(\.text)
        let sources = words.first == "source" || (words.first == "try" && words.dropFirst().first == "source")
        if status == 0, errorLines.count > 1, !sources {
            problems.append("\(shown) succeeded with \(errorLines.count) error lines: \(err.prefix(2000))")
        }
        if status != 0, status != ExitStatus.interrupted, sources ? errorLines.isEmpty : errorLines.count != 1 {
            problems.append("\(shown) failed (\(status)) with \(errorLines.count) error lines: \(err.prefix(2000))")
        }
        if Secrets.occurs(Self.token, in: out) || Secrets.occurs(Self.token, in: err) {
            problems.append("\(shown) showed the token")
        }
        let mark = "alive-\(lines)"
        let next = await shell.run(line: "echo \(mark)", place: "fuzz:next")
        let (after, _) = take()
        if next != 0 || !after.hasSuffix(mark + "\n") {
            problems.append("after \(shown) the next line did not run (\(next)): \(after.suffix(300).debugDescription)")
        }
        return problems
    }

    /// What the shell wrote since the last call; the files start again empty.
    private func take() -> (String, String) {
        func drain(_ fd: Int32) -> String {
            lseek(fd, 0, SEEK_SET)
            let bytes = FileContents.read(descriptor: fd) ?? []
            _ = ftruncate(fd, 0)
            lseek(fd, 0, SEEK_SET)
            return String(decoding: bytes, as: UTF8.self)
        }
        return (drain(output), drain(errors))
    }
}

/// The fuzzer's polling clock: sleeps return at once and move the simulator's clock at least a
/// minute, so `watch` and `sleep` end in a few steps whatever their settings.
final class FuzzClock: PollingClock {
    private let current = Mutex<Duration>(.zero)
    private let simulator: ManualClock

    init(simulator: ManualClock) { self.simulator = simulator }

    var now: Duration { current.withLock { $0 } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        current.withLock { $0 += duration }
        simulator.advance(by: max(60, Double(duration.components.seconds)))
        await Task.yield()
    }
}
