/// What a word after a command or flag can be completed with.
public enum CompletionKind: Sendable, Hashable {
    case none
    case file
    case taskID
    case setting
    case command
    case values([String])
}

/// One option of a command.
public struct FlagSpec: Sendable, Hashable {
    /// `--limit`.
    public var name: String
    /// How many values follow (0 for a switch).
    public var arity: Int
    /// `N`, `KEY NAME TEXT`.
    public var valueNames: String
    public var help: String
    public var repeatable: Bool
    public var completion: CompletionKind
    /// The field of the API's request the value goes to (`desired_num_results`), so the API's
    /// refusal of that field is told as this flag.
    public var apiField: String?

    public init(
        _ name: String, arity: Int = 1, _ valueNames: String = "", repeatable: Bool = false, completion: CompletionKind = .none,
        apiField: String? = nil, help: String
    ) {
        self.name = name
        self.arity = arity
        self.valueNames = valueNames
        self.help = help
        self.repeatable = repeatable
        self.completion = completion
        self.apiField = apiField
    }
}

/// The outside of a command: its name, synopsis, help, example and options. Help, completion and
/// argument errors all come from here.
public struct CommandSpec: Sendable {
    public var name: String
    public var aliases: [String]
    /// `resume [N]`.
    public var synopsis: String
    /// One line.
    public var abstract: String
    /// More, when needed.
    public var discussion: String
    public var examples: [String]
    public var flags: [FlagSpec]
    /// The fewest and most positional arguments (nil: no limit).
    public var positionals: ClosedRange<Int>
    public var positionalCompletion: CompletionKind
    /// Whether it sends API requests (for `--dry-run` and the fault matrix).
    public var talksToAPI: Bool
    /// Whether `record` writes it into a recording.
    public var isRecorded: Bool
    /// The field of the API's request the positional arguments go to (`query`), with how they are
    /// named to the user (`QUERY`).
    public var positionalField: (field: String, shown: String)?

    public init(
        _ name: String, aliases: [String] = [], synopsis: String, abstract: String, discussion: String = "",
        examples: [String], flags: [FlagSpec] = [], positionals: ClosedRange<Int> = 0...0,
        positionalCompletion: CompletionKind = .none, talksToAPI: Bool = false, isRecorded: Bool = true,
        positionalField: (field: String, shown: String)? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.synopsis = synopsis
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.flags = flags
        self.positionals = positionals
        self.positionalCompletion = positionalCompletion
        self.talksToAPI = talksToAPI
        self.isRecorded = isRecorded
        self.positionalField = positionalField
    }

    /// How the user names the API's request field `field` in this command (`create --results`
    /// for `desired_num_results`), if the command fills it.
    public func shown(apiField field: String) -> String? {
        if let flag = flags.first(where: { $0.apiField == field }) { return "\(name) \(flag.name)" }
        if let positional = positionalField, positional.field == field { return "\(name) \(positional.shown)" }
        return nil
    }

    /// Splits `words` (after the command name) into options and positional arguments.
    public func parse(_ words: [Word]) throws(CommandFailure) -> Arguments {
        var arguments = Arguments(command: name)
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if !onlyPositionals, !word.isQuoted, !word.isExpansion, word.text == "--" {
                onlyPositionals = true
                continue
            }
            if !onlyPositionals, !word.isQuoted, !word.isExpansion, word.text.hasPrefix("--"), word.text.count > 2 {
                var name = word.text
                var inline: String?
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard let flag = flags.first(where: { $0.name == name }) else {
                    let known = flags.map(\.name).joined(separator: ", ")
                    // JSON is a setting of the session, not an option of each command.
                    let json = name == "--json" ? "; for JSON, set output json first (or start the shell with --json)" : ""
                    throw .usage(
                        "\(self.name): unknown option \(name)" + (known.isEmpty ? "; it takes none" : "; it takes \(known)") + " (help \(self.name))"
                            + json)
                }
                if !flag.repeatable, arguments.values[flag.name] != nil {
                    throw .usage("\(self.name): \(flag.name) given twice")
                }
                var values: [String] = []
                if flag.arity == 0 {
                    if inline != nil { throw .usage("\(self.name): \(flag.name) takes no value") }
                } else {
                    if let inline { values.append(inline) }
                    while values.count < flag.arity {
                        guard index < words.count else {
                            throw .usage("\(self.name): \(flag.name) needs \(flag.valueNames.isEmpty ? "a value" : flag.valueNames)")
                        }
                        values.append(words[index].text)
                        index += 1
                    }
                }
                arguments.values[flag.name, default: []].append(values)
                continue
            }
            arguments.positionals.append(word)
        }
        let count = arguments.positionals.count
        if count < positionals.lowerBound {
            throw .usage("\(name): missing argument; usage: \(synopsis)")
        }
        if count > positionals.upperBound {
            let word = arguments.positionals[positionals.upperBound]
            if !word.isQuoted, !word.isExpansion, word.text.hasPrefix(">") {
                // No redirection in the shell (a > in a query is a word like any other): say
                // what writes a file instead.
                throw .usage(
                    "\(name): the shell has no > redirection; export FILE writes every result to a file (csv, json or jsonl), and extruct-shell -c '\(name) …' --json > FILE does it from your shell"
                )
            }
            let extra = word.text
            throw .usage("\(name): unexpected argument '\(extra)'; usage: \(synopsis)")
        }
        return arguments
    }
}

/// The parsed arguments of one command.
public struct Arguments: Sendable {
    public var command: String
    public var positionals: [Word] = []
    /// Each option's values, once per time it was given.
    public var values: [String: [[String]]] = [:]

    public init(command: String) {
        self.command = command
    }

    /// Whether switch `name` was given.
    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// The value of a single-valued option.
    public func value(_ name: String) -> String? { values[name]?.last?.first }

    /// Every value of a repeatable single-valued option.
    public func all(_ name: String) -> [String] { (values[name] ?? []).compactMap(\.first) }

    /// Option `name` as an integer in `range`, if given.
    public func int(_ name: String, in range: ClosedRange<Int>, expecting: String = "a whole number") throws(CommandFailure) -> Int? {
        guard let text = value(name) else { return nil }
        return try Arguments.int(text, what: "\(command) \(name)", in: range, expecting: expecting)
    }

    /// Option `name` as seconds in `range`, if given.
    public func seconds(_ name: String, in range: ClosedRange<Double>) throws(CommandFailure) -> Double? {
        guard let text = value(name) else { return nil }
        let trimmed = text.hasSuffix("s") ? String(text.dropLast()) : text
        guard let v = Double(trimmed), v.isFinite, range.contains(v) else {
            throw .usage("\(command) \(name) takes \(Setting.Kind.seconds(range).expectation), not '\(text)'")
        }
        return v
    }

    /// Whether `text` is written as a whole number (a sign, then digits), whatever its size.
    private static func isWholeNumber(_ text: String) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `text` as an integer in `range`; `what` is the command and flag as typed (`resume`,
    /// `create --results`), and `expecting` what else it may be, for the message.
    public static func int(
        _ text: String, what: String, in range: ClosedRange<Int>, expecting: String = "a whole number"
    ) throws(CommandFailure) -> Int {
        guard let v = Int(text) else {
            // A whole number too long for Int is still out of range, and said so.
            if isWholeNumber(text) {
                throw .usage("\(what) takes \(range.lowerBound)…\(range.upperBound) (got \(TextLayout.safe(text)))")
            }
            throw .usage("\(what) takes \(expecting), not '\(TextLayout.safe(text))'")
        }
        guard range.contains(v) else { throw .usage("\(what) takes \(range.lowerBound)…\(range.upperBound) (got \(v))") }
        return v
    }
}
