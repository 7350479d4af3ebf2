#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and whole-buffer writes with POSIX calls. (`FileManager.contents(atPath:)` leaks a buffer when the
/// file is empty on this Foundation; LeakSanitizer found it through the history file.)
public enum FileContents {
    /// The bytes of the file at `path`, or nil when it cannot be opened.
    public static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return read(descriptor: fd)
    }

    /// The bytes of `fd` from its offset to its end, or nil when reading fails.
    public static func read(descriptor fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return bytes
            } else if errno != EINTR {
                return nil
            }
        }
    }

    /// Writes all of `bytes` to `fd`, going on after interruptions and short writes; on a
    /// non-blocking descriptor that is full (a terminal or pipe shared with a program that set
    /// `O_NONBLOCK`), waits in `poll` until it takes more rather than spinning. Returns nil, or
    /// the `errno` of the failure.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                guard code == EAGAIN || code == EWOULDBLOCK else { return code }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, -1) < 0, errno != EINTR { return errno }
                if pfd.revents & Int16(POLLNVAL) != 0 { return EBADF }
                continue
            }
            offset += n
        }
        return nil
    }

    /// Creates `path` and any missing parents with `mode` (as `mkdir -p`). Returns nil, or the
    /// `errno` of the failure.
    public static func makeDirectories(_ path: String, mode: mode_t) -> Int32? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, mode) != 0, errno != EEXIST { return errno }
            prefix += "/"
        }
        return nil
    }

    /// What is at `path`: nil when nothing is, else whether it is a directory (links followed).
    public static func isDirectory(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    /// Writes `text` to standard error, whole.
    public static func writeToStandardError(_ text: String) {
        _ = writeAll(2, Array(text.utf8))
    }

    /// The text of an `errno` value.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
