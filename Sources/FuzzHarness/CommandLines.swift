import ShellKit

/// Where a generated command line's choices come from: the fuzzer's bytes, or a seeded
/// generator for the property test in `swift test`.
public protocol ChoiceSource {
    /// A number in `0..<count` (`count` ≥ 1).
    mutating func pick(_ count: Int) -> Int
    /// Bytes for a word of free text, up to `limit` of them.
    mutating func bytes(upTo limit: Int) -> [UInt8]
}

extension ChoiceSource {
    /// True one time in `n`.
    mutating func chance(_ n: Int) -> Bool { pick(n) == 0 }

    /// One of `items`.
    mutating func one<T>(of items: [T]) -> T { items[pick(items.count)] }
}

/// Choices read from a fuzzer's input, byte by byte; zeros once it is used up.
public struct ByteChoices: ChoiceSource {
    private var bytes: ArraySlice<UInt8>

    public init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    /// Whether every byte was used.
    public var isExhausted: Bool { bytes.isEmpty }

    public mutating func pick(_ count: Int) -> Int {
        guard count > 1 else { return 0 }
        var value = 0
        var range = 1
        while range < count {
            value = value << 8 | Int(bytes.popFirst() ?? 0)
            range <<= 8
        }
        return value % count
    }

    public mutating func bytes(upTo limit: Int) -> [UInt8] {
        let count = min(pick(limit + 1), bytes.count)
        defer { bytes = bytes.dropFirst(count) }
        return Array(bytes.prefix(count))
    }
}

/// Choices from SplitMix64 with a fixed seed: the same lines on every run.
public struct SeededChoices: ChoiceSource {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func pick(_ count: Int) -> Int { count > 1 ? Int(next() % UInt64(count)) : 0 }

    public mutating func bytes(upTo limit: Int) -> [UInt8] {
        (0..<pick(limit + 1)).map { _ in
            // Mostly printable ASCII, some control characters and UTF-8 lead and trail bytes.
            switch pick(10) {
            case 0: UInt8(pick(32))
            case 1: UInt8(0x80 + pick(0x80))
            default: UInt8(0x20 + pick(0x5F))
            }
        }
    }
}

/// Command lines built from the commands' own specs — every command, its options and its
/// positional arguments — with values drawn from a hostile set: the ends of a 64-bit integer
/// and past them, 0, -1, `1e309`, `nan`, empty words, 10 KB words, control characters, quotes,
/// `$` variables, real task ids, and free bytes.
@MainActor
public struct CommandLineGenerator {
    /// Values that have broken shells before.
    static let hostile: [String] = [
        "0", "-1", "1", "2", "250", "251", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1e309", "-1e309", "1e-300", "nan", "NaN", "inf", "-inf", "0.5", "-0", "1e3",
        "0x10", "", " ", String(repeating: "w", count: 10 << 10), "\u{1B}[2J", "\u{1B}]0;t\u{07}", "a\tb", "\u{7F}", "\u{9B}31m",
        "\u{202E}evil", "日本語", "e\u{301}", "\"", "'", "\\", "\"unterminated", "'x'", "\"a b\"", "#", "# comment", "--", "-", "--all",
        "$task", "${task}", "$last", "$last.results[0].company_name", "$last.status", "$last[0].id", "$nope", "${", "${1x}", "$",
        "$tok", "~", "..", "*", "?", "on", "off", "json", "text", "auto", "stop", "csv", "jsonl", "==", "~", "/a(/",
    ]

    let specs: [CommandSpec]
    /// Ids of tasks that exist, so commands reach past their argument checks.
    let taskIDs: [String]
    /// Where file arguments point (a directory of the fuzzer's own).
    let directory: String

    /// Lines for the commands of `registry` but those that touch the terminal or the user's
    /// files outside `directory` (`tutorial`: lessons and their progress file).
    public init(registry: CommandRegistry, taskIDs: [String], directory: String) {
        specs = registry.commands.map { $0.spec }.filter { $0.name != "tutorial" }
        self.taskIDs = taskIDs
        self.directory = directory
    }

    /// One command line.
    public func line(_ choices: inout some ChoiceSource) -> String {
        var words: [String] = []
        if choices.chance(8) { words.append("try") }
        let spec = choices.one(of: specs)
        let name = choices.chance(6) ? choices.one(of: spec.aliases + [spec.name]) : spec.name
        words.append(choices.chance(20) ? quoted(name, &choices) : name)
        var options: [String] = []
        for flag in spec.flags where choices.chance(3) {
            // `token --prompt` reads the terminal: a fuzzer has none to give it.
            if spec.name == "token" && flag.name == "--prompt" { continue }
            if flag.arity == 1 && choices.chance(4) {
                options.append(flag.name + "=" + value(flag.completion, &choices))
                continue
            }
            options.append(flag.name)
            for _ in 0..<flag.arity where !choices.chance(12) { options.append(value(flag.completion, &choices)) }
        }
        if choices.chance(12) { options.append(choices.one(of: ["--bogus", "--", "--=", "---", "--limit=", "-x"])) }
        let range = spec.positionals
        var count = range.lowerBound + choices.pick(min(range.upperBound, range.lowerBound + 3) - range.lowerBound + 1)
        if choices.chance(10) { count = max(0, count + choices.one(of: [-1, 1])) }
        var positionals = (0..<count).map { _ in value(spec.positionalCompletion, &choices) }
        // A session whose token a line replaced answers 401 to everything after: most token
        // lines set the token in use again, quoted or not, so later lines reach the API.
        if spec.name == "token", !choices.chance(5) {
            positionals = [choices.one(of: ["$tok", "\"$tok\"", "${tok}"])]
            options = []
        }
        words += choices.chance(2) ? positionals + options : options + positionals
        var line = ""
        for (i, word) in words.enumerated() {
            if i > 0 { line += choices.chance(8) ? choices.one(of: ["  ", "\t", " \t "]) : " " }
            line += word
        }
        return choices.chance(30) ? "  " + line + " # trailing" : line
    }

    private func value(_ kind: CompletionKind, _ choices: inout some ChoiceSource) -> String {
        switch kind {
        case .file:
            // Always inside the fuzzer's directory, whatever the name.
            let name = choices.one(of: ["out.csv", "out.json", "out.jsonl", "rec.exsh", "x.exsh", "nope.exsh", "with space.csv", "", ".."])
            let chosen = choices.chance(4) ? raw(&choices) : name
            if chosen == "stop" || chosen.isEmpty { return chosen }
            return quoted(directory + "/" + chosen.replacing("/", with: "_"), &choices)
        case .taskID where !taskIDs.isEmpty && !choices.chance(3):
            let id = choices.one(of: taskIDs)
            return choices.chance(3) ? String(id.prefix(4 + choices.pick(8))) : id
        case .setting where !choices.chance(3):
            return choices.one(of: Settings.names + ["colour", "nope"])
        case .values(let values) where !values.isEmpty && !choices.chance(3):
            return choices.one(of: values)
        case .command where !choices.chance(3):
            return choices.one(of: specs.map(\.name))
        default:
            let text = raw(&choices)
            return choices.chance(3) ? quoted(text, &choices) : text
        }
    }

    /// A hostile value, a task id, or free bytes.
    private func raw(_ choices: inout some ChoiceSource) -> String {
        switch choices.pick(8) {
        case 0: return String(decoding: choices.bytes(upTo: 24).filter { $0 != 0 && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        case 1 where !taskIDs.isEmpty: return choices.one(of: taskIDs)
        default: return choices.one(of: Self.hostile)
        }
    }

    /// `text` in double or single quotes, escaped or not (a broken quote is a case too).
    private func quoted(_ text: String, _ choices: inout some ChoiceSource) -> String {
        switch choices.pick(4) {
        case 0: return "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("$", with: "\\$") + "\""
        case 1: return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'"
        case 2: return "\"" + text + "\""
        default: return text.replacing(" ", with: "\\ ")
        }
    }
}
