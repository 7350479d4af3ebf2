import DeepSearchCore

/// Absurd but well-formed answers (the `hostile` fault): the simulator's own answer with every
/// number or every string replaced, as a broken server or a meddling proxy might send them.
/// Clients must render them, refuse them in one line, or ignore them — never trap on them.
public enum HostileData: String, Sendable, Hashable, CaseIterable {
    /// Numbers at the edges of a 64-bit integer, with small ones between them, in turn:
    /// 9223372036854775807, 1, -9223372036854775808 (one counter huge, the one it is divided by small).
    case huge
    /// Every number past a 64-bit integer: 9223372036854775808, 1e30, 1e309.
    case past
    /// Every number negative: -1, -9223372036854775808.
    case negative
    /// Every number fractional: 0.5, 1e-9, 2.75.
    case fractional
    /// Every string empty (ids and statuses too).
    case empty
    /// Every string 10 KB long, with terminal escapes, wide and right-to-left characters in it.
    case long

    /// `body` (JSON) with its numbers or strings replaced; a body that is not JSON as it is.
    func transform(_ body: [UInt8]) -> [UInt8] {
        guard let json = try? JSONParser.parse(body) else { return body }
        var counter = 0
        return JSONWriter.compactBytes(rewrite(json, &counter))
    }

    /// Numbers and strings are counted apart, so each answer takes the values in the same turn.
    private func rewrite(_ value: JSONValue, _ counter: inout Int) -> JSONValue {
        switch value {
        case .number:
            guard let replaced = number(counter) else { return value }
            counter += 1
            return replaced
        case .string(let text):
            guard let replaced = string(text, counter) else { return value }
            counter += 1
            return replaced
        case .array(let elements):
            return .array(elements.map { rewrite($0, &counter) })
        case .object(let object):
            return .object(JSONObject(object.members.map { JSONMember($0.key, rewrite($0.value, &counter)) }))
        case .null, .bool:
            return value
        }
    }

    private func number(_ n: Int) -> JSONValue? {
        switch self {
        case .huge: .number(["9223372036854775807", "1", "-9223372036854775808"][n % 3])
        case .past: .number(["9223372036854775808", "1", "1e309", "-9223372036854775809", "1e30"][n % 5])
        case .negative: .number(n % 2 == 0 ? "-9223372036854775808" : "-1")
        case .fractional: .number(["0.5", "1e-9", "2.75"][n % 3])
        case .empty, .long: nil
        }
    }

    private func string(_ text: String, _ n: Int) -> JSONValue? {
        switch self {
        case .empty: return .string("")
        case .long:
            let piece = "\(text) \u{1B}[2J\u{1B}]0;title\u{07} 日本語 \u{202E}evil\u{202C} \u{9B}31m "
            var long = ""
            while long.utf8.count < 10 << 10 { long += piece }
            return .string(long)
        case .huge, .past, .negative, .fractional: return nil
        }
    }
}
