import DeepSearch
import FoundationEssentials
import POSIXSupport
import TOMLKit

#if canImport(Glibc)
import Glibc
#endif

/// `$XDG_CONFIG_HOME/extruct-shell/config.toml`: named profiles of API URL and token, read as
/// TOML 1.0 by TOMLKit.
///
/// ```toml
/// default_profile = "work"
///
/// [profiles.work]
/// api_url = "https://api.extruct.ai"
/// token = "…"
/// ```
/// `[profile.NAME]` and `[NAME]` name a profile too; `api_url` and `token` at the top level are
/// the profile `default`; `url` is another name for `api_url`. A file that holds a token is
/// refused when group or others can access it (as psql does with `.pgpass`).
public struct ConfigFile: Sendable {
    /// One profile: where and as whom to talk.
    public struct Profile: Sendable, Hashable {
        public var apiURL: String?
        public var token: String?
        /// A PEM bundle of certificate authorities trusted besides the system's.
        public var caFile: String?
        /// The proxy for this API, `http://[USER:PASSWORD@]HOST:PORT`.
        public var proxy: String?

        /// Whether it holds something secret: a token, or a proxy's password.
        var holdsSecret: Bool { token != nil || proxy.map { URLParts($0)?.password != nil } == true }
    }

    /// The keys a profile takes, with what each holds (for messages and the manual).
    public static let profileKeys: [(name: String, help: String)] = [
        ("api_url", "the API base URL (also spelled url)"),
        ("token", "the API token"),
        ("ca_file", "a PEM bundle of certificate authorities to trust besides the system's (a TLS-inspecting gateway's CA)"),
        ("proxy", "the proxy to reach this API through, http://[USER:PASSWORD@]HOST:PORT"),
    ]

    public var path: String
    public var defaultProfile: String?
    public var profiles: [String: Profile]

    /// A problem with the file, said so the user can fix it: the file, the line, the key.
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
        guard FileContents.isDirectory(path) != nil else { return nil }
        guard let data = FileContents.read(path) else {
            throw Problem(description: "cannot read \(path): permission denied")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw Problem(description: "\(path) is not UTF-8 text; TOML files are UTF-8")
        }
        let config = try parse(text, path: path)
        if config.profiles.values.contains(where: \.holdsSecret) {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                throw Problem(
                    description:
                        "refusing to read \(path): it holds a token or a proxy password and group or others can access it; run chmod 600 \(path)")
            }
        }
        return config
    }

    /// Reads `text` as TOML and then as a config: any valid TOML 1.0 document, with a problem
    /// for a syntax error (at the line and column TOMLKit reports), an unknown key or a value of
    /// the wrong type (at the key's line).
    public static func parse(_ text: String, path: String) throws(Problem) -> ConfigFile {
        let document: TOMLTable
        do {
            document = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw Problem(description: "\(path):\(at.line):\(at.column): \(error.description); the file is TOML 1.0 (https://toml.io)")
        } catch {
            throw Problem(description: "\(path): \(error)")
        }
        let reader = Reader(path: path, text: text)
        var config = ConfigFile(path: path, defaultProfile: nil, profiles: [:])
        var origins: [String: [String]] = [:]
        func add(_ name: String, _ table: TOMLTable, at keyPath: [String]) throws(Problem) {
            if let earlier = origins[name] {
                throw reader.problem(
                    at: keyPath, "profile \(name) is already defined as \(earlier.joined(separator: ".")); keep one of the two")
            }
            origins[name] = keyPath
            config.profiles[name] = try reader.profile(table, at: keyPath)
        }
        let topLevel = TOMLTable()
        for key in document.keys.sorted() {
            let value = document[key]!.tomlValue
            switch key {
            case "default_profile":
                config.defaultProfile = try reader.string(value, at: [key])
            case "profiles", "profile":
                guard let tables = value.table else {
                    throw reader.problem(at: [key], "expected a table of profiles, such as [\(key).work]")
                }
                for name in tables.keys.sorted() {
                    guard let table = tables[name]?.tomlValue.table else {
                        throw reader.problem(at: [key, name], "expected a profile table, such as [\(key).\(name)] with api_url and token")
                    }
                    try add(name, table, at: [key, name])
                }
            default:
                if let table = value.table {
                    try add(key, table, at: [key])
                } else if profileKeyNames.contains(key) {
                    topLevel[key] = value
                } else {
                    throw reader.problem(
                        at: [key],
                        "unknown key; the top level takes default_profile, \(Self.profileKeys.map(\.name).joined(separator: ", ")) and [profiles.NAME] tables"
                    )
                }
            }
        }
        if !topLevel.isEmpty {
            if origins["default"] != nil {
                throw reader.problem(
                    at: [topLevel.keys.sorted()[0]], "the top-level keys are the profile default, which is also a table; keep one of the two")
            }
            config.profiles["default"] = try reader.profile(topLevel, at: [])
        }
        return config
    }

    /// `api_url, token, ca_file and proxy`.
    static var profileKeyList: String {
        let names = profileKeys.map(\.name)
        return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    /// The names a profile (or the top level) takes: the catalog plus `url`.
    static var profileKeyNames: Set<String> { Set(profileKeys.map(\.name) + ["url"]) }

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
        if let chosen = defaultProfile {
            guard let profile = profiles[chosen] else {
                throw Problem(description: "\(path): default_profile names \(chosen), which is not a profile there")
            }
            return (chosen, profile)
        }
        let chosen = profiles["default"] != nil ? "default" : profiles.count == 1 ? profiles.keys.first : nil
        guard let chosen, let profile = profiles[chosen] else { return nil }
        return (chosen, profile)
    }

    /// Turns TOML values into a config's, with problems that name the line of the key.
    struct Reader {
        let path: String
        let locator: TOMLKeyLocator

        init(path: String, text: String) {
            self.path = path
            self.locator = TOMLKeyLocator(text)
        }

        func problem(at keyPath: [String], _ message: String) -> Problem {
            let key = keyPath.map(TOMLKeyLocator.display).joined(separator: ".")
            let line = locator.line(of: keyPath).map { ":\($0)" } ?? ""
            return Problem(description: "\(path)\(line): \(key): \(message)")
        }

        func string(_ value: TOMLValue, at keyPath: [String]) throws(Problem) -> String {
            guard let string = value.string else {
                throw problem(at: keyPath, "expected a string in quotes, not \(Self.describe(value.type))")
            }
            return string
        }

        func profile(_ table: TOMLTable, at keyPath: [String]) throws(Problem) -> Profile {
            var profile = Profile()
            for key in table.keys.sorted() {
                let value = table[key]!.tomlValue
                switch key {
                case "api_url", "url":
                    if profile.apiURL != nil {
                        throw problem(at: keyPath + [key], "give api_url or url, not both")
                    }
                    profile.apiURL = try string(value, at: keyPath + [key])
                case "token":
                    profile.token = try string(value, at: keyPath + [key])
                case "ca_file":
                    profile.caFile = try string(value, at: keyPath + [key])
                case "proxy":
                    profile.proxy = try string(value, at: keyPath + [key])
                default:
                    throw problem(at: keyPath + [key], "unknown key; a profile takes \(ConfigFile.profileKeyList)")
                }
            }
            return profile
        }

        static func describe(_ type: TOMLType) -> String {
            switch type {
            case .table: "a table"
            case .array: "an array"
            case .string: "a string"
            case .int: "an integer"
            case .double: "a number"
            case .bool: "true or false"
            case .date, .time, .dateTime: "a date or time"
            }
        }
    }
}
