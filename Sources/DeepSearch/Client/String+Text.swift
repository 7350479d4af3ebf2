/// Text from the network and from the user, made safe and tidy.
extension String {
    /// The text with every control character (ESC included) shown as `?`, tabs and newlines as
    /// spaces, so text from the network can never drive the terminal.
    public var withoutControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0..<0x20, 0x7F...0x9F: out.append("?")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The text without leading and trailing spaces and tabs.
    public var trimmingSpaces: String { trimming { $0 == " " || $0 == "\t" } }

    /// The text without leading and trailing characters for which `isTrimmed` holds.
    public func trimming(while isTrimmed: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let first = s.first, isTrimmed(first) { s.removeFirst() }
        while let last = s.last, isTrimmed(last) { s.removeLast() }
        return String(s)
    }
}
