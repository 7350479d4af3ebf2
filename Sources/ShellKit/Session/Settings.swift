/// The settings `set` changes. What each one is called, takes and means is in `Settings.table`;
/// its default is the initial value here.
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
    /// Extra tries of a GET after a transient failure.
    public var retries = 2
    /// Table width in columns; nil follows the terminal.
    public var width: Int?
    /// Log every request to standard error (token shown as `Bearer …`).
    public var debug = false
    /// At the interactive prompt, a line when a task of this session ends.
    public var notify = true
    /// At the interactive prompt, ask before a command that may spend more credits than this; nil: only when more than is left.
    public var confirmAbove: Int?
    /// The most credits the commands of this process may ask for in all; nil: no limit.
    public var maxCredits: Int?

    public init() {}

    /// Every setting, in the order `set` lists them: `set`, `unset`, completion, `help set` and
    /// the manual all read this table, and nothing else names a setting.
    public static let table: [Setting] = [
        .choice("output", \.output, help: "how responses are printed"),
        .choice("color", aliases: ["colour"], \.color, help: "ANSI colour (auto: on a terminal unless NO_COLOR is set)"),
        .whole("page_size", \.pageSize, 1...250, help: "rows per page of results"),
        .seconds("poll_interval", \.pollInterval, 0.01...3600, help: "time between polls of watch"),
        .seconds("watch_timeout", \.watchTimeout, 0.1...86_400, help: "how long watch waits for done or failed"),
        .seconds("timeout", \.requestTimeout, 0.1...600, help: "how long one request may take"),
        .whole("retries", \.retries, 0...5, help: "extra tries of a GET after a transient failure"),
        .columns("width", \.width, 20...1000, help: "table width (auto: the terminal's)"),
        .onOff("debug", \.debug, help: "log every request to standard error"),
        .onOff("notify", \.notify, help: "at the prompt, a line when a running task of this session ends"),
        .limit("confirm_above", \.confirmAbove, 0...Spending.largest, help: "at the prompt, ask y/N before a command that may spend more credits"),
        .limit("max_credits", \.maxCredits, 0...Spending.largest, help: "refuse a command that would take the credits asked for past this"),
    ]

    /// The names `set` lists (not the aliases).
    public static var names: [String] { table.map(\.name) }

    /// The setting called `name`, or one of its aliases (`colour`).
    public static func setting(_ name: String) -> Setting? {
        table.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The current value of setting `name` as text; nil when there is no such setting.
    public func value(of name: String) -> String? {
        Self.setting(name)?.value(in: self)
    }

    /// Sets `name` to `text`, or explains what it takes; nothing changes when it throws.
    public mutating func set(_ name: String, to text: String) throws(CommandFailure) {
        guard let setting = Self.setting(name) else { throw .usage("there is no setting \(name)") }
        try setting.set(text, in: &self)
    }

    /// Puts setting `name` back to its default; false when there is no such setting.
    public mutating func reset(_ name: String) -> Bool {
        guard let setting = Self.setting(name) else { return false }
        setting.reset(in: &self)
        return true
    }

    /// Seconds as people write them: `5`, `0.05`.
    public static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v)
    }
}

/// One setting: its name, what it takes, its help, and how it is read, written and put back to
/// its default on `Settings`. Made by `choice`, `onOff`, `whole`, `seconds` and `columns`, each
/// of which ties a kind of value to a property.
public struct Setting: Sendable {
    /// What a setting takes.
    public enum Kind: Sendable, Hashable {
        /// One of these words, in any case.
        case words([String])
        /// `on` or `off` (also `true`/`false`, `yes`/`no`, `1`/`0`).
        case onOff
        /// A whole number in the range.
        case whole(ClosedRange<Int>)
        /// Seconds in the range: a finite decimal number.
        case seconds(ClosedRange<Double>)
        /// `auto`, or a number of columns in the range.
        case columns(ClosedRange<Int>)
        /// `off`, or a whole number in the range.
        case limit(ClosedRange<Int>)
    }

    /// Where a setting lives in `Settings`.
    typealias Property<Value> = any WritableKeyPath<Settings, Value> & Sendable

    public let name: String
    /// Other names it answers to.
    public let aliases: [String]
    public let kind: Kind
    /// A phrase for `set` and the manual ("rows per page of results").
    public let help: String
    private let read: @Sendable (Settings) -> String
    /// Stores `text` when the kind takes it; false when it does not.
    private let write: @Sendable (inout Settings, String) -> Bool
    private let restore: @Sendable (inout Settings) -> Void

    /// The value in `settings`, as `set NAME` prints it.
    public func value(in settings: Settings) -> String { read(settings) }

    /// The value a new session has.
    public var defaultValue: String { read(Settings()) }

    /// Stores `text`, or throws the one line saying what the setting takes (nothing changes).
    public func set(_ text: String, in settings: inout Settings) throws(CommandFailure) {
        guard write(&settings, text) else { throw .usage("\(name) takes \(kind.expectation), not '\(text)'") }
    }

    /// Puts the default back.
    public func reset(in settings: inout Settings) { restore(&settings) }

    /// The words Tab offers after `set NAME` (none for a number).
    public var completions: [String] {
        switch kind {
        case .words(let words): words
        case .onOff: ["on", "off"]
        case .columns: ["auto"]
        case .limit: ["off"]
        case .whole, .seconds: []
        }
    }

    /// What it takes, short: `text|json`, `on|off`, `1…250`, `0.01…3600 seconds`, `auto|20…1000`.
    public var shape: String {
        switch kind {
        case .words(let words): words.joined(separator: "|")
        case .onOff: "on|off"
        case .whole(let range): "\(range.lowerBound)…\(range.upperBound)"
        case .seconds(let range): "\(Settings.format(range.lowerBound))…\(Settings.format(range.upperBound)) seconds"
        case .columns(let range): "auto|\(range.lowerBound)…\(range.upperBound)"
        case .limit(let range): "off|\(range.lowerBound)…\(range.upperBound)"
        }
    }

    /// A setting stored in `property`: `parse` reads what was typed (nil: refused), `show` writes
    /// it back as text; the default is the property's initial value.
    private init<Value>(
        _ name: String, aliases: [String] = [], kind: Kind, help: String, _ property: Property<Value>,
        show: @escaping @Sendable (Value) -> String, parse: @escaping @Sendable (String) -> Value?
    ) {
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.help = help
        self.read = { show($0[keyPath: property]) }
        self.write = { settings, text in
            guard let value = parse(text) else { return false }
            settings[keyPath: property] = value
            return true
        }
        self.restore = { $0[keyPath: property] = Settings()[keyPath: property] }
    }

    /// One of an enumeration's raw values, in any case.
    static func choice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, aliases: [String] = [], _ property: Property<Value>, help: String
    ) -> Setting where Value.RawValue == String {
        Setting(
            name, aliases: aliases, kind: .words(Value.allCases.map(\.rawValue)), help: help, property, show: \.rawValue,
            parse: { Value(rawValue: $0.lowercased()) })
    }

    /// A switch, shown as `on` or `off`.
    static func onOff(_ name: String, _ property: Property<Bool>, help: String) -> Setting {
        Setting(name, kind: .onOff, help: help, property, show: { $0 ? "on" : "off" }, parse: switchValue)
    }

    /// A whole number in `range`.
    static func whole(_ name: String, _ property: Property<Int>, _ range: ClosedRange<Int>, help: String) -> Setting {
        Setting(name, kind: .whole(range), help: help, property, show: { String($0) }, parse: { Int($0).flatMap { range.contains($0) ? $0 : nil } })
    }

    /// Seconds in `range`; never nan or infinite.
    static func seconds(_ name: String, _ property: Property<Double>, _ range: ClosedRange<Double>, help: String) -> Setting {
        Setting(
            name, kind: .seconds(range), help: help, property, show: Settings.format,
            parse: { Double($0).flatMap { $0.isFinite && range.contains($0) ? $0 : nil } })
    }

    /// `auto` (nil: follow the terminal) or a number of columns in `range`.
    static func columns(_ name: String, _ property: Property<Int?>, _ range: ClosedRange<Int>, help: String) -> Setting {
        wholeOr("auto", name, kind: .columns(range), property, range, help: help)
    }

    /// `off` (nil: no limit) or a whole number in `range`.
    static func limit(_ name: String, _ property: Property<Int?>, _ range: ClosedRange<Int>, help: String) -> Setting {
        wholeOr("off", name, kind: .limit(range), property, range, help: help)
    }

    /// `word` (stored as nil) or a whole number in `range`.
    private static func wholeOr(
        _ word: String, _ name: String, kind: Kind, _ property: Property<Int?>, _ range: ClosedRange<Int>, help: String
    ) -> Setting {
        Setting(
            name, kind: kind, help: help, property, show: { $0.map(String.init) ?? word },
            parse: { text -> Int?? in
                if text.lowercased() == word { return .some(nil) }
                guard let value = Int(text), range.contains(value) else { return .none }
                return value
            })
    }

    /// `text` as a switch: on, true, yes, 1 or off, false, no, 0 (any case).
    @Sendable static func switchValue(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "true", "yes", "1": true
        case "off", "false", "no", "0": false
        default: nil
        }
    }
}

extension Setting.Kind {
    /// What the kind takes, as the refusal says it: `text or json`, `a whole number from 1 to 250`.
    var expectation: String {
        switch self {
        case .words(let words): words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
        case .onOff: "on or off"
        case .whole(let range): "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .seconds(let range): "seconds between \(Settings.format(range.lowerBound)) and \(Settings.format(range.upperBound))"
        case .columns(let range): "auto or a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .limit(let range): "off or a whole number from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}
