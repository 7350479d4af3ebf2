/// The settings `set` changes.
public struct Settings: Sendable, Hashable {
    /// How responses are printed.
    public enum Output: String, Sendable, CaseIterable { case text, json }
    /// Whether ANSI colour is used.
    public enum ColorMode: String, Sendable, CaseIterable { case auto, on, off }

    public var output: Output = .text
    public var color: ColorMode = .auto
    /// Rows per page of `results` and `export` paging.
    public var pageSize = 50
    /// Seconds between polls of `watch`.
    public var pollInterval = 5.0
    /// Seconds `watch` waits for the end before giving up.
    public var watchTimeout = 1200.0
    /// Seconds one request may take.
    public var requestTimeout = 30.0
    /// Extra tries of a GET after a transient failure (0…5).
    public var retries = 2
    /// Table width in columns; nil follows the terminal.
    public var width: Int?
    /// Log every request to standard error (token shown as `Bearer …`).
    public var debug = false
    /// At the interactive prompt, a line when a task of this session ends.
    public var notify = true

    public init() {}

    /// The names `set` knows, with what each takes.
    public static let catalog: [(name: String, values: String, help: String)] = [
        ("output", "text|json", "how responses are printed"),
        ("color", "auto|on|off", "ANSI colour (auto: on a terminal unless NO_COLOR is set)"),
        ("page_size", "1…250", "rows per page of results"),
        ("poll_interval", "seconds", "time between polls of watch"),
        ("watch_timeout", "seconds", "how long watch waits for done or failed"),
        ("timeout", "seconds", "how long one request may take"),
        ("retries", "0…5", "extra tries of a GET after a transient failure"),
        ("width", "auto|columns", "table width"),
        ("debug", "on|off", "log every request to standard error"),
        ("notify", "on|off", "at the prompt, a line when a running task of this session ends"),
    ]

    public static var names: [String] { catalog.map(\.name) }

    /// The words setting `name` takes, for completion (`auto`, `on`, `off` for color; none for
    /// a number).
    public static func values(of name: String) -> [String] {
        guard let entry = catalog.first(where: { $0.name == name }), entry.values.contains("|") else { return [] }
        return entry.values.split(separator: "|").map(String.init).filter { $0.allSatisfy(\.isLetter) && $0 != "columns" }
    }

    /// The current value of setting `name` as text.
    public func value(of name: String) -> String? {
        switch name {
        case "output": output.rawValue
        case "color": color.rawValue
        case "page_size": String(pageSize)
        case "poll_interval": Self.format(pollInterval)
        case "watch_timeout": Self.format(watchTimeout)
        case "timeout": Self.format(requestTimeout)
        case "retries": String(retries)
        case "width": width.map(String.init) ?? "auto"
        case "debug": debug ? "on" : "off"
        case "notify": notify ? "on" : "off"
        default: nil
        }
    }

    /// Sets `name` to `text`, or explains what it takes.
    public mutating func set(_ name: String, to text: String) throws(CommandFailure) {
        func seconds(_ range: ClosedRange<Double>) throws(CommandFailure) -> Double {
            guard let v = Double(text), v.isFinite, range.contains(v) else {
                throw .usage("\(name) takes seconds between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), not '\(text)'")
            }
            return v
        }
        func int(_ range: ClosedRange<Int>) throws(CommandFailure) -> Int {
            guard let v = Int(text), range.contains(v) else {
                throw .usage("\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return v
        }
        func onOff() throws(CommandFailure) -> Bool {
            switch text.lowercased() {
            case "on", "true", "yes", "1": return true
            case "off", "false", "no", "0": return false
            default: throw .usage("\(name) takes on or off, not '\(text)'")
            }
        }
        switch name {
        case "output":
            guard let v = Output(rawValue: text.lowercased()) else { throw .usage("output takes text or json, not '\(text)'") }
            output = v
        case "color", "colour":
            guard let v = ColorMode(rawValue: text.lowercased()) else { throw .usage("color takes auto, on or off, not '\(text)'") }
            color = v
        case "page_size": pageSize = try int(1...250)
        case "poll_interval": pollInterval = try seconds(0.01...3600)
        case "watch_timeout": watchTimeout = try seconds(0.1...86_400)
        case "timeout": requestTimeout = try seconds(0.1...600)
        case "retries": retries = try int(0...5)
        case "width":
            if text.lowercased() == "auto" { width = nil } else { width = try int(20...1000) }
        case "debug": debug = try onOff()
        case "notify": notify = try onOff()
        default: throw .usage("there is no setting \(name)")
        }
    }

    /// Puts setting `name` back to its default; false when there is no such setting.
    public mutating func reset(_ name: String) -> Bool {
        let defaults = Settings()
        switch name {
        case "output": output = defaults.output
        case "color", "colour": color = defaults.color
        case "page_size": pageSize = defaults.pageSize
        case "poll_interval": pollInterval = defaults.pollInterval
        case "watch_timeout": watchTimeout = defaults.watchTimeout
        case "timeout": requestTimeout = defaults.requestTimeout
        case "retries": retries = defaults.retries
        case "width": width = nil
        case "debug": debug = false
        case "notify": notify = defaults.notify
        default: return false
        }
        return true
    }

    public static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v)
    }
}
