/// Splits a command line into words the way a POSIX shell does: single quotes keep everything,
/// double quotes keep everything but `$` expansions and `\"`, `\\`, `\$` escapes, a backslash
/// outside quotes escapes any character, `#` at the start of a word begins a comment.
///
/// Variables expand during splitting and are never split again: `$NAME`, `${NAME}`, and for
/// `last` a path into the last response: `$last.results[0].company_name`.
public struct WordSplitter {
    /// Looks up a variable: the name (with its path for `last`); nil when it is unset.
    public typealias Resolver = (String) -> String?

    /// Splits `line`; `resolve` nil leaves `$…` unexpanded (a syntax check only).
    public static func split(_ line: String, resolve: Resolver?) throws(ShellSyntaxError) -> [Word] {
        var splitter = WordSplitter(line: Array(line.unicodeScalars), resolve: resolve)
        return try splitter.run()
    }

    private let line: [Unicode.Scalar]
    private let resolve: Resolver?
    private var index = 0

    private init(line: [Unicode.Scalar], resolve: Resolver?) {
        self.line = line
        self.resolve = resolve
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
    private static func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
    private static func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }

    private mutating func run() throws(ShellSyntaxError) -> [Word] {
        var words: [Word] = []
        while true {
            while index < line.count, Self.isSpace(line[index]) { index += 1 }
            guard index < line.count else { break }
            if line[index] == "#" { break }
            words.append(try word())
        }
        return words
    }

    private mutating func word() throws(ShellSyntaxError) -> Word {
        let start = index
        var text = String.UnicodeScalarView()
        var quoted = false
        var pieces = 0
        var wholeExpansion = false
        while index < line.count, !Self.isSpace(line[index]) {
            let c = line[index]
            pieces += 1
            switch c {
            case "'":
                quoted = true
                index += 1
                guard let end = line[index...].firstIndex(of: "'") else {
                    throw ShellSyntaxError(message: "unterminated single quote", column: index)
                }
                text.append(contentsOf: line[index..<end])
                index = end + 1
            case "\"":
                quoted = true
                let open = index
                index += 1
                var closed = false
                while index < line.count {
                    let d = line[index]
                    if d == "\"" {
                        index += 1
                        closed = true
                        break
                    }
                    if d == "\\", index + 1 < line.count, ["\"", "\\", "$", "`"].contains(line[index + 1]) {
                        text.append(line[index + 1])
                        index += 2
                    } else if d == "$" {
                        text.append(contentsOf: try expansion().unicodeScalars)
                    } else {
                        text.append(d)
                        index += 1
                    }
                }
                if !closed { throw ShellSyntaxError(message: "unterminated double quote", column: open + 1) }
            case "\\":
                guard index + 1 < line.count else {
                    throw ShellSyntaxError(message: "the line ends with a lone backslash", column: index + 1)
                }
                text.append(line[index + 1])
                index += 2
            case "$":
                let value = try expansion()
                if pieces == 1 { wholeExpansion = true }
                text.append(contentsOf: value.unicodeScalars)
                continue
            default:
                text.append(c)
                index += 1
            }
            wholeExpansion = false
        }
        return Word(String(text), isQuoted: quoted, isExpansion: wholeExpansion && pieces == 1, column: start + 1, span: start..<index)
    }

    /// Reads `$NAME`, `${NAME}` or `$last.path` at `index`; returns its value.
    private mutating func expansion() throws(ShellSyntaxError) -> String {
        let dollar = index
        index += 1
        var name: String
        if index < line.count, line[index] == "{" {
            index += 1
            guard let close = line[index...].firstIndex(of: "}") else {
                throw ShellSyntaxError(message: "unterminated ${", column: dollar + 1)
            }
            name = String(String.UnicodeScalarView(line[index..<close]))
            index = close + 1
            guard let first = name.unicodeScalars.first, Self.isNameStart(first),
                Self.validReference(name)
            else {
                throw ShellSyntaxError(message: "'${\(name)}' is not a variable name", column: dollar + 1)
            }
        } else {
            guard index < line.count, Self.isNameStart(line[index]) else { return "$" }
            let start = index
            while index < line.count, Self.isNameChar(line[index]) { index += 1 }
            name = String(String.UnicodeScalarView(line[start..<index]))
            if name == "last" { name += readPath() }
        }
        guard let resolve else { return "$" + name }
        guard let value = resolve(name) else {
            throw ShellSyntaxError(message: "$\(name) is not set", column: dollar + 1, kind: .unsetVariable)
        }
        return value
    }

    /// `.field` and `[index]` steps after `$last`.
    private mutating func readPath() -> String {
        var path = String.UnicodeScalarView()
        while index < line.count {
            if line[index] == ".", index + 1 < line.count, Self.isNameStart(line[index + 1]) {
                path.append(".")
                index += 1
                while index < line.count, Self.isNameChar(line[index]) {
                    path.append(line[index])
                    index += 1
                }
            } else if line[index] == "[", let close = line[index...].firstIndex(of: "]"),
                close > index + 1, line[(index + 1)..<close].allSatisfy({ ("0"..."9").contains($0) })
            {
                path.append(contentsOf: line[index...close])
                index = close + 1
            } else {
                break
            }
        }
        return String(path)
    }

    private static func validReference(_ name: String) -> Bool {
        if name.hasPrefix("last") { return JSONPath(name.dropFirst(4).drop(while: { $0 == "." }).description) != nil || name == "last" }
        return name.unicodeScalars.allSatisfy(isNameChar)
    }
}
