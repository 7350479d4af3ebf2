/// The rule for hiding tokens in text.
public enum Secrets {
    /// Shorter words are not hunted in text: a token that short is a test or demo token (the
    /// simulator's `demo`), and hiding every "demo" in the output would garble it. Real tokens
    /// are far longer.
    public static let minimumLength = 8
}

extension Secrets {
    /// `text` with every occurrence of `secret` (one of `minimumLength` or more characters)
    /// replaced by `replacement`.
    public static func redact(_ text: String, _ secret: String?, replacement: String = "…") -> String {
        guard let secret, secret.count >= minimumLength, occurs(secret, in: text) else { return text }
        return text.replacing(secret, with: replacement)
    }

    /// Whether `secret`'s bytes occur in `text`: a plain UTF-8 search, cheap enough to run on
    /// every line the shell writes (Foundation's `contains` compares Unicode canonically and
    /// costs more than the rest of rendering a line).
    public static func occurs(_ secret: String, in text: String) -> Bool {
        var text = text
        var secret = secret
        return text.withUTF8 { haystack in secret.withUTF8 { needle in ByteSearch.firstIndex(of: needle, in: haystack) != nil } }
    }
}
