import FoundationEssentials
import POSIXSupport
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The interactive history on disk: one line per command, appended right after each command
/// (so a killed shell loses nothing), mode 0600 (a looser existing file is tightened), safe for
/// several shells appending at once (each line is one `write` under `flock`).
///
/// Lines are stored escaped: `\\` for a backslash and `\n` for a newline.
public struct HistoryFile: Sendable {
    public let path: String

    /// The history at `path`; nothing is touched until ``load()`` or ``append(_:)``.
    public init(path: String) {
        self.path = path
    }

    /// A problem with the history file.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Creates the file (and its directory) if needed and makes it 0600.
    public func prepare() throws(Failure) {
        let directory = FilePath(path).removingLastComponent().string
        if !directory.isEmpty {
            if let code = FileContents.makeDirectories(directory, mode: 0o700) {
                throw Failure(description: "cannot create \(directory): \(FileContents.reason(code))")
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & 0o077 != 0 {
            fchmod(fd, 0o600)
        }
    }

    /// The stored lines, oldest first (at most the last `limit`).
    public func load(limit: Int = 2000) -> [String] {
        guard let data = FileContents.read(path) else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(limit).map { Self.unescape(String($0)) }
    }

    /// Appends one line.
    public func append(_ line: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        if let code = FileContents.writeAll(fd, Array((Self.escape(line) + "\n").utf8)) {
            throw Failure(description: "cannot write \(path): \(FileContents.reason(code))")
        }
    }

    /// Rewrites every stored line through `transform` (hiding a secret learned after the line was
    /// kept), in place under the same lock appends take, so no line another shell appends is lost.
    public func rewrite(_ transform: (String) -> String) throws(Failure) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw Failure(description: "cannot rewrite \(path): \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        guard let data = FileContents.read(descriptor: fd) else {
            throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let rewritten = lines.map { Self.escape(transform(Self.unescape($0))) }
        guard rewritten != lines else { return }
        let bytes = Array(rewritten.map { $0 + "\n" }.joined().utf8)
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw Failure(description: "cannot rewrite \(path): \(String(cString: strerror(errno)))")
        }
        if let code = FileContents.writeAll(fd, bytes) {
            throw Failure(description: "cannot rewrite \(path): \(FileContents.reason(code))")
        }
    }

    static func escape(_ line: String) -> String {
        guard line.contains("\\") || line.contains("\n") || line.contains("\r") else { return line }
        var out = ""
        for c in line.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ line: String) -> String {
        guard line.contains("\\") else { return line }
        var out = ""
        var escaping = false
        for c in line.unicodeScalars {
            if escaping {
                switch c {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
