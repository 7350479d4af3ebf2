/// The rule for hiding tokens in text.
public enum Secrets {
    /// Shorter words are not hunted in text: a token that short is a test or demo token (the
    /// simulator's `demo`), and hiding every "demo" in the output would garble it. Real tokens
    /// are far longer.
    public static let minimumLength = 8
}
