import Foundation
import Synchronization
import TestSupport

/// Where one example runs: a folder of its own (working directory and home, so nothing a run
/// writes lands in the repository), the files examples name without showing (`demo.exsh`,
/// `setup.exsh`), and an environment with the built programs first on PATH, no colour, and the
/// sample tasks a fresh `--demo` has.
final class Workspace: @unchecked Sendable {
    // Safe: used by one example's check at a time.
    let folder: TemporaryDirectory
    var environment: [String: String]
    private var servers: [Process] = []

    /// The finished sample task of every fresh simulator (`--demo`, and each example's own).
    static let finishedTask = "f2dc2742-d69d-450d-9ad8-6c34ed7a510f"
    /// How much faster than real the simulators run: a 50-result task is done in seconds.
    static let speed = 100.0
    /// The tokens an example's simulator takes: `demo`, and `…` (what the docs write for "your
    /// token", so `export EXTRUCT_API_TOKEN=…` works as printed).
    static let tokens = ["demo", "…"]

    /// Files examples name without showing them, made in every workspace.
    static let fixtures: [String: String] = [
        "demo.exsh": "# A script to play: the finished sample task's best five.\nuse \(finishedTask)\nresults --limit 5\n",
        "setup.exsh": "# Settings for a session.\nset poll_interval 1\nset page_size 25\n",
    ]

    init() throws {
        folder = try TemporaryDirectory()
        var environment = testEnvironment(home: folder.path)
        environment["PATH"] = Binaries.directory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        environment["EXTRUCT_DEMO_SPEED"] = String(Self.speed)
        environment["TASK"] = Self.finishedTask
        self.environment = environment
        for (name, text) in Self.fixtures { try folder.write(name, text) }
    }

    var path: String { folder.path }

    /// A simulator of this example's own: `extruct-sim` on a free port, with the three sample
    /// tasks of `--demo` (seed 1); its port. The environment points the shell at it.
    func startSimulator() async throws -> Int {
        let tokens = Self.tokens.map { "--token '\($0)'" }.joined(separator: " ")
        let printed = try await startServer("extruct-sim --port 0 --seed 1 --speed \(Self.speed) --demo-tasks \(tokens)", lines: 1)
        guard let url = printed.first?.components(separatedBy: "listening on ").last, let port = url.split(separator: ":").last.flatMap({ Int($0) })
        else { throw ServerFailed(description: "extruct-sim said \(printed)") }
        if environment["EXTRUCT_API_URL"] == nil {
            environment["EXTRUCT_API_URL"] = url
            // A token the example exported stays (`…` is one this simulator takes).
            if environment["EXTRUCT_API_TOKEN"] == nil { environment["EXTRUCT_API_TOKEN"] = "demo" }
        }
        return port
    }

    /// Starts `command` (an extruct-sim line) in the background, as an example shows a server
    /// started in a terminal; returns what it printed first (its URL, a CA file) once it listens.
    func startServer(_ command: String, lines: Int) async throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec " + command]
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let collected = Collected()
        output.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        servers.append(process)
        let wanted = max(1, lines)
        try await waitUntil("\(command) listening", timeout: 30) {
            !process.isRunning || collected.lines.count >= wanted && collected.text.contains("listening on")
        }
        guard process.isRunning else { throw ServerFailed(description: "\(command) exited: \(collected.text)") }
        return Array(collected.lines.prefix(wanted))
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Stops what the example started and removes its folder.
    func close() async {
        for server in servers where server.isRunning {
            server.interrupt()
            if (try? await waitUntil("the simulator stopped on Ctrl-C", timeout: 10) { !server.isRunning }) == nil {
                kill(server.processIdentifier, SIGKILL)
            }
        }
        folder.remove()
    }
}

/// Output collected from a pipe as it comes.
final class Collected: Sendable {
    private let data = Mutex(Data())
    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// What a command printed, standard output and standard error as they came (one pipe for both,
/// as a terminal shows them), and how it ended.
struct Ran: Sendable {
    var status: Int32
    var output: String
}

/// Runs `/bin/sh -c line` in `workspace`, standard input empty; kills it after `timeout` seconds.
func runLine(_ line: String, in workspace: Workspace, timeout: Double = 90) async throws -> Ran {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", line]
    process.environment = workspace.environment
    process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
    let output = Pipe()
    _ = fcntl(output.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    let collected = Collected()
    let done = Mutex(false)
    try process.run()
    try? output.fileHandleForWriting.close()
    Thread {
        collected.append(output.fileHandleForReading.readDataToEndOfFile())
        done.withLock { $0 = true }
    }.start()
    var timedOut = false
    if (try? await waitUntil("\(line) ended", timeout: timeout) { !process.isRunning && done.withLock { $0 } }) == nil {
        timedOut = true
        process.terminate()
        try? await waitUntil("\(line) ended after SIGTERM", timeout: 5) { !process.isRunning }
    }
    return Ran(status: timedOut ? -1 : process.terminationStatus, output: collected.text + (timedOut ? "\n[killed after \(timeout) s]" : ""))
}
