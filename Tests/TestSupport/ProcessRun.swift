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
///
/// Started with posix_spawn, not Foundation's `Process`: on Linux its `run()` reads
/// `/proc/self/fd` with a copy of each entry's whole 256-byte name, which reads past glibc's
/// buffer and crashes the test process now and then when many descriptors are open
/// (swift-corelibs-foundation#5472; it brought a full test run down).
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

/// A program started with posix_spawn, its standard streams on pipes (the parent's ends: `stdin`
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        // Nothing else of the test process (another test's pipe held open here would keep its
        // reader from seeing the end); glibc's *_np actions are not imported into Swift.
        if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(closeFrom, to: AddCloseFrom.self)(&actions, 3)
        }
        if let directory {
            guard let addChdir = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
                posix_spawn_file_actions_destroy(&actions)
                for fd in pipes.joined() { close(fd) }
                throw POSIXError(.ENOSYS)
            }
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(addChdir, to: AddChdir.self)(&actions, directory)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for pointer in argv + envp { free(pointer) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        // The child's ends are its own now (dup2 clears close-on-exec on the copies).
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        guard status == 0 else {
            close(pipes[0][1])
            close(pipes[1][0])
            close(pipes[2][0])
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO)
        }
        self.pid = pid
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
