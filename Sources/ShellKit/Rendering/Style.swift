import DeepSearch

/// ANSI styling that is switched off entirely when colour is off.
public struct Style: Sendable, Hashable {
    /// Whether escapes are written at all.
    public var isEnabled: Bool

    public init(enabled: Bool) {
        isEnabled = enabled
    }

    public static let plain = Style(enabled: false)

    private func wrap(_ text: String, _ code: String) -> String {
        isEnabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ t: String) -> String { wrap(t, "1") }
    public func dim(_ t: String) -> String { wrap(t, "2") }
    public func red(_ t: String) -> String { wrap(t, "31") }
    public func green(_ t: String) -> String { wrap(t, "32") }
    public func yellow(_ t: String) -> String { wrap(t, "33") }
    public func blue(_ t: String) -> String { wrap(t, "34") }
    public func cyan(_ t: String) -> String { wrap(t, "36") }

    /// A status in its colour: done green, failed red, running yellow, created cyan.
    public func status(_ status: TaskStatus) -> String {
        switch status {
        case .done: green(status.rawValue)
        case .failed: red(status.rawValue)
        case .inProgress: yellow(status.rawValue)
        case .created: cyan(status.rawValue)
        default: status.rawValue.withoutControlCharacters
        }
    }

    /// A 1–5 grade in its colour: 4–5 green, 3 yellow, 1–2 red.
    public func grade(_ grade: Int?) -> String {
        guard let grade else { return dim("·") }
        switch grade {
        case 4...: return green(String(grade))
        case 3: return yellow(String(grade))
        default: return red(String(grade))
        }
    }
}
