import FoundationEssentials
import LineEditing

#if canImport(Glibc)
import Glibc
#endif

/// `$XDG_CONFIG_HOME/extruct-shell/config.toml`: named profiles of API URL and token.
///
/// ```toml
/// default_profile = "work"
///
/// [profiles.work]
/// api_url = "https://api.extruct.ai"
/// token = "…"
/// ```
/// A file that holds a token is refused when group or others can access it (as psql does with
/// `.pgpass`).
public struct ConfigFile: Sendable {
    public struct Profile: Sendable, Hashable {
        public var apiURL: String?
        public var token: String?
    }

    public var path: String
    public var defaultProfile: String?
    public var profiles: [String: Profile]

    /// A problem with the file, said so the user can fix it.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The default place: `$XDG_CONFIG_HOME/extruct-shell/config.toml` or `~/.config/…`.
    public static func defaultPath() -> String {
        let base = Environment.value("XDG_CONFIG_HOME") ?? (Environment.home + "/.config")
        return base + "/extruct-shell/config.toml"
    }

    /// Reads the file at `path`; nil when there is none.
    public static func load(path: String) throws(Problem) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileContents.read(path) else {
            throw Problem(description: "cannot read \(path): permission denied")
        }
        let config = try parse(String(decoding: data, as: UTF8.self), path: path)
        if config.profiles.values.contains(where: { $0.token != nil }) {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                throw Problem(description: "refusing to read \(path): it holds a token and group or others can access it; run chmod 600 \(path)")
            }
        }
        return config
    }

    /// Parses the TOML subset: `[profiles.NAME]` (or `[profile.NAME]`, `[NAME]`) tables of
    /// `key = "value"` lines, `#` comments, a top-level `default_profile`.
    public static func parse(_ text: String, path: String) throws(Problem) -> ConfigFile {
        var config = ConfigFile(path: path, defaultProfile: nil, profiles: [:])
        var current: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(raw)).trimmingSpaces
            guard !line.isEmpty else { continue }
            let place = "\(path):\(index + 1)"
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw Problem(description: "\(place): a table header ends with ]") }
                var name = String(line.dropFirst().dropLast()).trimmingSpaces
                for prefix in ["profiles.", "profile."] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
                name = name.trimming { $0 == "\"" }
                guard !name.isEmpty else { throw Problem(description: "\(place): a profile needs a name") }
                current = name
                config.profiles[name, default: Profile()] = config.profiles[name] ?? Profile()
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw Problem(description: "\(place): expected key = \"value\"") }
            let key = String(line[..<eq]).trimmingSpaces
            let value = try unquote(String(line[line.index(after: eq)...]).trimmingSpaces, place: place)
            switch (current, key) {
            case (nil, "default_profile"): config.defaultProfile = value
            case (nil, "api_url"), (nil, "token"):
                current = "default"
                fallthrough
            case (.some, "api_url"), (.some, "url"), (.some, "token"):
                let name = current ?? "default"
                var profile = config.profiles[name] ?? Profile()
                if key == "token" { profile.token = value } else { profile.apiURL = value }
                config.profiles[name] = profile
                if current == "default", key != "token" && key != "api_url" { current = nil }
            default:
                throw Problem(description: "\(place): unknown key \(key); use api_url and token in a [profiles.NAME] table")
            }
        }
        return config
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var out = ""
        for c in line {
            if c == "\"" { inString.toggle() }
            if c == "#", !inString { break }
            out.append(c)
        }
        return out
    }

    private static func unquote(_ text: String, place: String) throws(Problem) -> String {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return String(text.dropFirst().dropLast()) }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") { return String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, !text.contains(" ") else { throw Problem(description: "\(place): put the value in double quotes") }
        return text
    }

    /// The names of the profiles in the default config file, for Tab completion of `--profile`;
    /// none when the file is missing or unreadable.
    public static func profileNames() -> [String] {
        guard let config = try? load(path: defaultPath()) else { return [] }
        return config.profiles.keys.sorted()
    }

    /// The profile `name`, or when `name` is nil the default one: `default_profile`, a profile
    /// called `default`, or the only profile there is.
    public func profile(_ name: String?) throws(Problem) -> (name: String, profile: Profile)? {
        if let name {
            guard let profile = profiles[name] else {
                let known = profiles.keys.sorted().joined(separator: ", ")
                throw Problem(description: "there is no profile \(name) in \(path)" + (known.isEmpty ? "" : " (it has \(known))"))
            }
            return (name, profile)
        }
        let chosen = defaultProfile ?? (profiles["default"] != nil ? "default" : profiles.count == 1 ? profiles.keys.first : nil)
        guard let chosen, let profile = profiles[chosen] else { return nil }
        return (chosen, profile)
    }
}
