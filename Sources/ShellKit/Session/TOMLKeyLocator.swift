/// Finds the line where a key is defined in a TOML document that TOMLKit has already read, so a
/// problem with a key can name its line (TOMLKit reports positions for syntax errors only).
///
/// It reads keys and nothing else: table headers and the dotted key before each `=`; values are
/// skipped (multi-line strings included), because TOMLKit has read them. When it cannot tell —
/// a key inside an inline table — it names the line of the inline table, or nothing.
struct TOMLKeyLocator {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line that defines `path` (a table, or a key in one), if it can be found.
    func line(of path: [String]) -> Int? {
        var table: [String] = []
        var openString: Substring?
        var enclosing: Int?
        for (index, raw) in lines.enumerated() {
            if let delimiter = openString {
                // Inside a multi-line string: only its closing delimiter matters.
                if raw.contains(delimiter) { openString = nil }
                continue
            }
            var rest = Substring(raw.drop { $0 == " " || $0 == "\t" })
            if rest.hasPrefix("[") {
                rest = rest.drop { $0 == "[" }
                guard let keys = Self.keys(&rest) else { continue }
                table = keys
                if table == path { return index + 1 }
                continue
            }
            guard let keys = Self.keys(&rest), rest.first == "=" else { continue }
            let full = table + keys
            if full == path { return index + 1 }
            let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            if path.starts(with: full), value.hasPrefix("{"), enclosing == nil { enclosing = index + 1 }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) && !value.dropFirst(3).contains(delimiter) {
                openString = Substring(delimiter)
            }
        }
        return enclosing
    }

    /// Reads a dotted key (`a."b c".'d'`) from the start of `text`, leaving `text` after it and
    /// any spaces; nil if it is not a key.
    private static func keys(_ text: inout Substring) -> [String]? {
        var keys: [String] = []
        while true {
            text = text.drop { $0 == " " || $0 == "\t" }
            guard let key = self.key(&text) else { return nil }
            keys.append(key)
            text = text.drop { $0 == " " || $0 == "\t" }
            guard text.first == "." else { return keys }
            text = text.dropFirst()
        }
    }

    /// One key: bare, "basic" (with escapes) or 'literal'.
    private static func key(_ text: inout Substring) -> String? {
        guard let first = text.first else { return nil }
        if first == "'" {
            guard let close = text.dropFirst().firstIndex(of: "'") else { return nil }
            defer { text = text[text.index(after: close)...] }
            return String(text[text.index(after: text.startIndex)..<close])
        }
        if first == "\"" {
            var out = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let c = text[index]
                if c == "\"" {
                    text = text[text.index(after: index)...]
                    return out
                }
                if c == "\\" {
                    index = text.index(after: index)
                    guard index < text.endIndex else { return nil }
                    switch text[index] {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "u", "U":
                        let width = text[index] == "u" ? 4 : 8
                        let hex = text[text.index(after: index)...].prefix(width)
                        guard hex.count == width, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return nil }
                        out.unicodeScalars.append(scalar)
                        index = text.index(index, offsetBy: width)
                    default: out.append(text[index])
                    }
                } else {
                    out.append(c)
                }
                index = text.index(after: index)
            }
            return nil
        }
        let bare = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard !bare.isEmpty else { return nil }
        text = text.dropFirst(bare.count)
        return String(bare)
    }

    /// `key` as TOML writes it: bare when it can be, quoted otherwise.
    static func display(_ key: String) -> String {
        let isBare = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return isBare ? key : "\"" + key.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
