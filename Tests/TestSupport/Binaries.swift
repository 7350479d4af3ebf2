import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the built executables are: `$EXTRUCT_BIN_DIR`, else `.build/debug` of this package.
public enum Binaries {
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["EXTRUCT_BIN_DIR"], !dir.isEmpty { return dir }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }

    public static var shell: String { directory + "/extruct-shell" }
    public static var simulator: String { directory + "/extruct-sim" }
    /// The libFuzzer harness built without the fuzzer (`extruct-fuzz --property` and replays).
    public static var fuzzer: String { directory + "/extruct-fuzz" }

    /// The package root (for shipped scripts).
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// A fresh directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("extruct-tests-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try writeFile(p, Array(text.utf8))
        return p
    }

    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = file(name)
        try writeFile(p, bytes)
        return p
    }

    public func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file under the directory, recursively.
    public func allFiles() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: path) else { return [] }
        return e.compactMap { $0 as? String }.map { path + "/" + $0 }.filter {
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &dir) && !dir.boolValue
        }
    }

    /// The permission bits of `name`.
    public func mode(_ name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file(name))[.posixPermissions] as? Int) ?? nil
    }
}

/// The environment a test gives the shell: a private home, UTF-8, a terminal type, no colour
/// preferences from the developer's machine.
public func testEnvironment(home: String, extra: [String: String] = [:]) -> [String: String] {
    var env: [String: String] = [
        "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config",
        "XDG_CACHE_HOME": home + "/cache",
        "LANG": "C.UTF-8", "TERM": "xterm-256color", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]
    // Under scripts/sanitize the binaries are sanitized too: they take its options (the leak
    // suppressions) from the test process.
    for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"] {
        if let value = ProcessInfo.processInfo.environment[name] { env[name] = value }
    }
    for (k, v) in extra { env[k] = v }
    return env
}

/// Writes `bytes` to `path` (made, or emptied, with `mode`), without the `fsync` that
/// Foundation's `Data.write` and `String.write` make: a test's file needs no durability, and an
/// `fsync` on a disk busy with builds can take seconds, holding a thread of the concurrency pool
/// that every test's awaits (and the in-process simulators) need meanwhile.
public func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        written += n
    }
}

/// ``writeFile(_:_:mode:)`` for text.
public func writeFile(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
    try writeFile(path, Array(text.utf8), mode: mode)
}
