import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Starts `executable` with `arguments` and `environment` through posix_spawn, as the tests
/// start every program they drive: signals at their defaults and none blocked, in `directory`
/// if given, a session leader if `newSession`, and no descriptor of the test process past the
/// three standard ones (another test's pipe held open by this child would keep its reader from
/// seeing the end). `streams` adds the file actions that give the child its standard streams.
/// Not Foundation's `Process`: on Linux its `run()` copies each `/proc/self/fd` entry's whole
/// 256-byte name, reading past glibc's buffer, and crashes the test process now and then when
/// many descriptors are open (swift-corelibs-foundation#5472).
func spawnProgram(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil, newSession: Bool = false,
    streams: (inout posix_spawn_file_actions_t) -> Void
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    streams(&actions)
    // glibc's *_np file actions are not imported into Swift.
    if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(closeFrom, to: AddCloseFrom.self)(&actions, 3)
    }
    if let directory {
        guard let addChdir = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            throw POSIXError(.ENOSYS)
        }
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        _ = unsafeBitCast(addChdir, to: AddChdir.self)(&actions, directory)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    // POSIX_SPAWN_SETSID (0x80) is not imported into Swift.
    posix_spawnattr_setflags(&attributes, Int16((newSession ? 0x80 : 0) | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    return pid
}

/// A program the tests started (through ``spawnProgram(_:_:environment:directory:newSession:streams:)``):
/// its standard input a pipe (`stdin`, the parent's end to write) or /dev/null, its standard
/// output and error pipes (`stdout`, `stderr`, the parent's ends to read; -1 otherwise) or
/// both appended to a file.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let stdin: Int32
    public let stdout: Int32
    public let stderr: Int32
    /// The exit status once it ended: its code, or the number of the signal that ended it (as
    /// Foundation's `terminationStatus` says).
    private let ended = Mutex<Int32?>(nil)

    /// Starts it with pipes for its standard streams, or with input from /dev/null and output and
    /// error appended to `outputFile`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil, outputFile: String? = nil
    ) throws {
        var pipes: [[Int32]] = []
        for _ in 0..<(outputFile == nil ? 3 : 0) {
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
                if let outputFile {
                    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                    posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
                    posix_spawn_file_actions_adddup2(&actions, 1, 2)
                } else {
                    posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
                    posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
                    posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
                }
            }
        } catch {
            for fd in pipes.joined() { close(fd) }
            throw error
        }
        pid = spawned
        guard outputFile == nil else {
            (stdin, stdout, stderr) = (-1, -1, -1)
            return
        }
        // The child's ends are its own now (dup2 clears close-on-exec on the copies).
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        stdin = pipes[0][1]
        stdout = pipes[1][0]
        stderr = pipes[2][0]
    }

    /// Whether it ended (reaped without waiting).
    public var hasEnded: Bool { reap(blocking: false) }

    /// Waits for it to end; for a thread of its own, never the concurrency pool.
    public func waitForExit() { _ = reap(blocking: true) }

    /// Its exit status (see ``ended``), or -1 while it runs.
    public var status: Int32 { ended.withLock { $0 } ?? -1 }

    private func reap(blocking: Bool) -> Bool {
        if ended.withLock({ $0 }) != nil { return true }
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while reaped < 0 && errno == EINTR
        guard reaped == pid else { return false }
        ended.withLock { $0 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : status & 0x7F }
        return true
    }
}
