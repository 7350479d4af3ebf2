import DeepSearch
import POSIXSupport

/// Text measured in terminal columns: cut with `…`, padded, wrapped.
public enum TextLayout {
    /// Columns `text` takes (no escapes expected).
    public static func width(_ text: String) -> Int { TextWidth.of(text) }

    /// Text from the network made safe to print: control characters (ESC among them) shown as
    /// `?`, newlines and tabs as spaces.
    public static func safe(_ text: String) -> String { text.withoutControlCharacters }

    /// `text` cut to at most `columns` columns, ending in `…` when cut. Never splits a character.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        // No character is wider than its UTF-8 encoding is long.
        if text.utf8.count <= columns || width(text) <= columns { return text }
        // Printable ASCII: one column a byte, and no character spans two bytes.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: text.utf8.prefix(columns - 1), as: UTF8.self) + "…"
        }
        var out = ""
        var used = 0
        for character in text {
            let w = width(character)
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Columns one character takes.
    static func width(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii != 0x7F ? 1 : 0 }
        var total = 0
        for scalar in character.unicodeScalars { total += TextWidth.of(scalar) }
        return total
    }

    /// Text from the network made safe and measured once, for a table cell.
    public struct Cell: Sendable {
        public let text: String
        public let width: Int

        /// `text` made safe (see ``TextLayout/safe(_:)``) and measured.
        public init(_ text: String) {
            self.text = TextLayout.safe(text)
            self.width = TextLayout.width(self.text)
        }

        /// The text cut or padded with spaces to exactly `columns` columns.
        public func padded(to columns: Int) -> String {
            guard width <= columns else { return TextLayout.pad(text, to: columns) }
            return width == columns ? text : text + String(repeating: " ", count: columns - width)
        }
    }

    /// `text` cut or padded with spaces to exactly `columns` columns.
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let gap = String(repeating: " ", count: max(0, columns - width(cut)))
        return alignRight ? gap + cut : cut + gap
    }

    /// Columns `text` takes on a terminal, its ANSI escape sequences taking none.
    public static func visibleWidth(_ text: String) -> Int {
        guard text.utf8.contains(0x1B) else { return width(text) }
        return width(strippingEscapes(text))
    }

    /// `text` without its ANSI escape sequences (CSI `ESC [ … letter` and two-byte escapes).
    public static func strippingEscapes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var escape = false
        var csi = false
        for scalar in text.unicodeScalars {
            if escape {
                if csi {
                    if (0x40...0x7E).contains(scalar.value) { (escape, csi) = (false, false) }
                } else if scalar == "[" {
                    csi = true
                } else {
                    escape = false
                }
            } else if scalar == "\u{1B}" {
                escape = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The first of `forms` (the fullest first) that fits in `columns`; else the last, cut to fit
    /// (without its colour, which a cut could break).
    public static func first(fitting columns: Int, _ forms: [String]) -> String {
        for form in forms where visibleWidth(form) <= columns { return form }
        return truncate(strippingEscapes(forms.last ?? ""), to: columns)
    }

    /// `text` (which may hold ANSI escapes) wrapped at spaces to lines of at most `columns`
    /// visible columns; a word longer than a line is cut hard.
    public static func wrapStyled(_ text: String, to columns: Int) -> [String] {
        guard visibleWidth(text) > columns else { return [text] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let w = visibleWidth(word)
            if used > 0, used + 1 + w > columns {
                lines.append(line)
                line = ""
                used = 0
            }
            if used > 0 || !line.isEmpty {
                line += " "
                used += 1
            }
            line += word
            used += w
        }
        lines.append(line)
        return lines.flatMap { visibleWidth($0) > columns ? wrap(strippingEscapes($0), to: columns) : [$0] }
    }

    /// `text` wrapped at word boundaries to lines of at most `columns` columns.
    public static func wrap(_ text: String, to columns: Int) -> [String] {
        guard columns > 4 else { return [text] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let w = String(word)
                if line.isEmpty {
                    line = w
                } else if width(line) + 1 + width(w) <= columns {
                    line += " " + w
                } else {
                    lines.append(line)
                    line = w
                }
                while width(line) > columns {
                    let head = truncateHard(line, columns)
                    lines.append(head)
                    line = String(line.dropFirst(head.count))
                }
            }
            lines.append(line)
        }
        return lines
    }

    private static func truncateHard(_ text: String, _ columns: Int) -> String {
        var out = ""
        var used = 0
        for c in text {
            let w = width(c)
            if used + w > columns { break }
            out.append(c)
            used += w
        }
        return out.isEmpty ? String(text.prefix(1)) : out
    }

    /// A bar of `width` cells filled to `fraction` (0…1) with eighth-block precision.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        let eighths = Int((f * Double(width * 8)).rounded())
        let full = eighths / 8
        let partial = eighths % 8
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var out = String(repeating: "█", count: full)
        if full < width {
            out += partial > 0 ? blocks[partial] : ""
            out += String(repeating: "·", count: width - full - (partial > 0 ? 1 : 0))
        }
        return out
    }
}
