import FoundationEssentials
import POSIXSupport

#if canImport(Glibc)
import Glibc
#endif

/// One command of a script, with the line it starts on; or a line of narration.
public struct ScriptLine: Sendable, Hashable {
    /// What a line is for.
    public enum Kind: Sendable, Hashable {
        /// A command to run.
        case command
        /// A `#:` comment: shown (dimmed) when commands are shown (`--echo`, `--typing`,
        /// `--step`), a comment otherwise.
        case narration
    }

    public var number: Int
    public var text: String
    public var kind: Kind

    public init(number: Int, text: String, kind: Kind = .command) {
        self.number = number
        self.text = text
        self.kind = kind
    }
}

/// Reads the script format: UTF-8 (an optional BOM), LF or CRLF, `#` comments and blank lines,
/// a trailing `\` continuing a line on the next.
public enum ScriptSource {
    /// A script that cannot be read.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var line: Int?
    }

    /// The commands of `bytes`; lines that are blank or only a comment are left out.
    public static func lines(_ bytes: [UInt8]) throws(Unreadable) -> [ScriptLine] {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var result: [ScriptLine] = []
        var assembler = ScriptLineAssembler()
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var raw = line
            if raw.last == UInt8(ascii: "\r") { raw = raw.dropLast() }
            if raw.contains(0) {
                throw Unreadable(description: "line \(number) holds a NUL byte; scripts are text", line: number)
            }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw Unreadable(description: "line \(number) is not valid UTF-8", line: number)
            }
            if let command = assembler.add(text, number: number) { result.append(command) }
        }
        if let command = assembler.finish() { result.append(command) }
        return result
    }

    /// Whether the line ends in an unescaped backslash.
    static func continues(_ text: String) -> Bool {
        var count = 0
        for c in text.reversed() {
            if c == "\\" { count += 1 } else { break }
        }
        return count % 2 == 1
    }

    /// Reads the script at `path`.
    public static func lines(atPath path: String) throws(Unreadable) -> [ScriptLine] {
        guard let isDirectory = FileContents.isDirectory(path) else {
            throw Unreadable(description: "cannot read \(path): no such file")
        }
        guard !isDirectory else { throw Unreadable(description: "cannot read \(path): it is a directory") }
        guard let data = FileContents.read(path) else {
            throw Unreadable(description: "cannot read \(path): permission denied")
        }
        return try lines(data)
    }
}

/// Joins a script's physical lines into commands, for files and for standard input alike: a
/// trailing `\` continues onto the next line; blank lines and `#` comment lines are no commands,
/// but a `#:` line is narration.
public struct ScriptLineAssembler {
    private var pending: ScriptLine?

    public init() {}

    /// Takes physical line `number`; returns the command it completes, if any.
    public mutating func add(_ line: String, number: Int) -> ScriptLine? {
        var text = (pending?.text ?? "") + line
        let start = pending?.number ?? number
        let isComment = line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#")
        pending = nil
        if ScriptSource.continues(text), !(start == number && isComment) {
            text.removeLast()
            pending = ScriptLine(number: start, text: text)
            return nil
        }
        return Self.command(ScriptLine(number: start, text: text))
    }

    /// The command left at the end of the input (its last line asked to continue).
    public mutating func finish() -> ScriptLine? {
        defer { pending = nil }
        return pending.flatMap(Self.command)
    }

    private static func command(_ line: ScriptLine) -> ScriptLine? {
        let trimmed = line.text.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix("#:") {
            var said = trimmed.dropFirst(2)
            if said.first == " " { said = said.dropFirst() }
            return ScriptLine(number: line.number, text: String(said), kind: .narration)
        }
        return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : line
    }
}
