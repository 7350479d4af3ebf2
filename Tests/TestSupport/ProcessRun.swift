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
    let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
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
