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

    /// Writes all of `bytes` to `fd`, going on after interruptions and short writes. Returns nil,
    /// or the `errno` of the failure.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    /// The text of an `errno` value.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
