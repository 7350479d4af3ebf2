import DeepSearch
import LineEditing

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
