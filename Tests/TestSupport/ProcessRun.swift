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
/// Started by ``spawnProgram(_:_:environment:directory:newSession:streams:)``, not Foundation's
/// `Process` (which crashes now and then on Linux; see there).
public func runProcess(
    _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String],
    directory: String? = nil, timeout: Double = 60
) async throws -> ProcessResult {
    let child = try SpawnedProcess(executable, arguments, environment: environment, directory: directory)
    // Blocking reads and writes run on threads of their own: blocking the dispatch pool would
    // starve the concurrency pool that in-process simulators answer on.
    let outBox = DataBox()
    let errBox = DataBox()
    for (fd, box) in [(child.stdout, outBox), (child.stderr, errBox)] {
        Thread {
            box.set(Data(readToEnd(fd)))
            close(fd)
        }.start()
    }
    Thread {
        var written = 0
        while written < input.count {
            let n = input[written...].withUnsafeBytes { write(child.stdin, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            written += n
        }
        close(child.stdin)
    }.start()
    var timedOut = false
    if (try? await waitUntil("the process ended", timeout: timeout) { child.hasEnded }) == nil {
        timedOut = true
        kill(child.pid, SIGTERM)
        if (try? await waitUntil("the process ended after SIGTERM", timeout: 5) { child.hasEnded }) == nil {
            kill(child.pid, SIGKILL)
        }
    }
    try await waitUntil("the process ended and its output was read", timeout: 30) { child.hasEnded && outBox.isSet && errBox.isSet }
    let out = outBox.get()
    let err = errBox.get()
    return ProcessResult(
        status: timedOut ? -1 : child.status, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self) + (timedOut ? "\n[test: killed after \(timeout) s]" : ""), stdoutBytes: Array(out))
}

/// Every byte `fd` gives until its end.
private func readToEnd(_ fd: Int32) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            result += buffer[0..<n]
        } else if n < 0 && errno == EINTR {
            continue
        } else {
            return result
        }
    }
}

/// A program started by ``spawnProgram(_:_:environment:directory:newSession:streams:)``, its standard streams on pipes (the parent's ends: `stdin`
/// to write, `stdout` and `stderr` to read), nothing else of the test process inherited.
private final class SpawnedProcess: Sendable {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32
    /// The exit status once it ended: its code, or the number of the signal that ended it (as
    /// Foundation's `terminationStatus` says).
    private let ended = Mutex<Int32?>(nil)

    init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String?) throws {
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                for fd in pipes.joined() { close(fd) }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            pipes.append(ends)
        }
        let spawned: pid_t
        do {
            spawned = try spawnProgram(executable, arguments, environment: environment, directory: directory) { actions in
                posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
                posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
                posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
            }
        } catch {
            for fd in pipes.joined() { close(fd) }
            throw error
        }
        // The child's ends are its own now (dup2 clears close-on-exec on the copies).
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        pid = spawned
        stdin = pipes[0][1]
        stdout = pipes[1][0]
        stderr = pipes[2][0]
    }

    /// Whether it ended (reaped without waiting).
    var hasEnded: Bool {
        ended.withLock { ended in
            if ended != nil { return true }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return false }
            ended = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : status & 0x7F
            return true
        }
    }

    var status: Int32 { ended.withLock { $0 } ?? -1 }
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
