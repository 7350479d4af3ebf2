import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Environment variables, read one at a time (`ProcessInfo.environment` copies them all, which
/// costs more than a command does), and the paths they decide.
public enum Environment {
    /// The value of `name`, nil when unset or empty.
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// `$HOME`, else the home directory from the user database.
    public static var home: String {
        if let home = value("HOME") { return home }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return "/" }
        return String(cString: directory)
    }

    /// `path` with a leading `~/` (or a lone `~`) replaced by the home directory.
    public static func expandingTilde(_ path: String) -> String {
        if path == "~" { return home }
        guard path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }

    /// The real path of `path` (symbolic links followed), or `path` itself when it does not exist.
    public static func resolvingSymlinks(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
