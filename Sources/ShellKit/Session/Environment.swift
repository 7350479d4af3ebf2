import Foundation

/// Environment variables, read one at a time (`ProcessInfo.environment` copies them all, which
/// costs more than a command does).
public enum Environment {
    /// The value of `name`, nil when unset or empty.
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// `$HOME`, else the home directory from the user database.
    public static var home: String { value("HOME") ?? NSHomeDirectory() }
}
