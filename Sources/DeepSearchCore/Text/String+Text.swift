/// Text from the network and from the user, made safe and tidy.
extension String {
    /// The text with every control character shown as `?`, tabs and newlines as spaces, so text
    /// from the network can never drive the terminal. A whole escape sequence (`ESC [ 2 J`, an
    /// OSC title up to its terminator, `CSI` as one byte) is one `?`, so a column cut short still
    /// shows the words around it rather than the spelled-out sequence.
    public var withoutControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return self }
        var out = String.UnicodeScalarView()
        var scalars = unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D:
                out.append(" ")
            case 0x1B:
                out.append("?")
                Self.skipEscapeBody(&scalars)
            case 0x9B:
                out.append("?")
                Self.skipControlSequence(&scalars)
            case 0x9D:
                out.append("?")
                Self.skipString(&scalars)
            case 0..<0x20, 0x7F...0x9F:
                out.append("?")
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// After ESC: `[` starts a control sequence, `]` `P` `X` `^` `_` a string up to BEL or ESC \,
    /// anything else is one character.
    private static func skipEscapeBody(_ scalars: inout Substring.UnicodeScalarView) {
        guard let next = scalars.first, next.value >= 0x20, next.value < 0x7F else { return }
        scalars.removeFirst()
        switch next {
        case "[": skipControlSequence(&scalars)
        case "]", "P", "X", "^", "_": skipString(&scalars)
        default: break
        }
    }

    /// Parameters and intermediates (0x20–0x3F), then one final byte (0x40–0x7E).
    private static func skipControlSequence(_ scalars: inout Substring.UnicodeScalarView) {
        while let next = scalars.first, (0x20...0x3F).contains(next.value) { scalars.removeFirst() }
        if let final = scalars.first, (0x40...0x7E).contains(final.value) { scalars.removeFirst() }
    }

    /// Up to BEL, ESC \ or ST; printable text only (another control character ends it early).
    private static func skipString(_ scalars: inout Substring.UnicodeScalarView) {
        while let next = scalars.first {
            if next.value == 0x07 || next.value == 0x9C {
                scalars.removeFirst()
                return
            }
            if next.value == 0x1B {
                scalars.removeFirst()
                if scalars.first == "\\" { scalars.removeFirst() }
                return
            }
            if next.value < 0x20 { return }
            scalars.removeFirst()
        }
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
