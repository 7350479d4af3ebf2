import Foundation

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
