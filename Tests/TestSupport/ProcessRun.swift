import Foundation
import Synchronization

/// A finished run of a program with pipes for its standard streams.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: [UInt8]
}

/// Runs `executable` with `arguments`, feeding `input` to standard input; waits at most
/// `timeout` seconds (then kills it and says so). Waits without blocking a thread of the
/// concurrency pool, which in-process simulators need.
public func runProcess(
    _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String],
    directory: String? = nil, timeout: Double = 60
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    // None of these may leak into a child another test starts meanwhile: it would hold the
    // output open after this program ended (the program's own copies are dup2'd, so keep).
    for pipe in [stdin, stdout, stderr] {
        for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] { _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC) }
    }
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    // Blocking reads and waits run on threads of their own: blocking the dispatch pool would
    // starve the concurrency pool that in-process simulators answer on.
    let outBox = DataBox()
    let errBox = DataBox()
    for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
        Thread { box.set(pipe.fileHandleForReading.readDataToEndOfFile()) }.start()
    }
    try process.run()
    Thread {
        if !input.isEmpty { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)) }
        try? stdin.fileHandleForWriting.close()
    }.start()
    var timedOut = false
    if (try? await waitUntil("the process ended", timeout: timeout) { !process.isRunning }) == nil {
        timedOut = true
        process.terminate()
        if (try? await waitUntil("the process ended after SIGTERM", timeout: 5) { !process.isRunning }) == nil {
            kill(process.processIdentifier, SIGKILL)
        }
    }
    try await waitUntil("the process ended and its output was read", timeout: 30) { !process.isRunning && outBox.isSet && errBox.isSet }
    let out = outBox.get()
    let err = errBox.get()
    return ProcessResult(
        status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self) + (timedOut ? "\n[test: killed after \(timeout) s]" : ""), stdoutBytes: Array(out))
}

/// Runs the shell binary.
public func runShell(
    _ arguments: [String], input: String = "", home: String, extraEnvironment: [String: String] = [:], directory: String? = nil,
    timeout: Double = 60
) async throws -> ProcessResult {
    try await runProcess(
        Binaries.shell, arguments, input: Array(input.utf8), environment: testEnvironment(home: home, extra: extraEnvironment),
        directory: directory, timeout: timeout)
}

/// What a running program has written to a pipe so far, read on a thread of its own (a blocking
/// read on the concurrency pool would starve the in-process simulators other tests answer on).
public final class PipeReader: Sendable {
    private let data = Mutex(Data())
    private let ended = Mutex(false)

    public init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLock { $0.append(chunk) }
            }
            ended.withLock { $0 = true }
        }.start()
    }

    /// Everything read so far, as text.
    public var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
    /// Whether the writer closed the pipe.
    public var isAtEnd: Bool { ended.withLock { $0 } }
}

final class DataBox: Sendable {
    private let data = Mutex<Data?>(nil)
    func set(_ d: Data) { data.withLock { $0 = d } }
    var isSet: Bool { data.withLock { $0 != nil } }
    func get() -> Data { data.withLock { $0 ?? Data() } }
}
