/// Turns what a user typed into a registered domain: `https://www.Acme.com/about` → `acme.com`.
/// The simulator resolves exclusions with it as the API does; the shell tells companies apart
/// by it (`collect`, `export --chain`).
public enum DomainNormalizer {
    /// Second-level labels under which registrations sit one level deeper (`acme.co.uk`).
    public static let secondLevelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "com.au", "net.au", "co.jp", "co.nz", "com.br", "com.cn", "co.in", "co.za", "com.mx",
    ]

    /// The registered domain, or nil when the text holds no domain.
    public static func registeredDomain(_ text: String) -> String? {
        var s = Substring(text.lowercased().filter { !$0.isWhitespace })
        if let scheme = s.firstRange(of: "://") { s = s[scheme.upperBound...] }
        if let end = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<end] }
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
        if let colon = s.lastIndex(of: ":") { s = s[..<colon] }
        while s.hasSuffix(".") { s.removeLast() }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }),
            labels.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } })
        else { return nil }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        if secondLevelSuffixes.contains(lastTwo), labels.count >= 3 {
            return labels.suffix(3).joined(separator: ".")
        }
        return lastTwo
    }
}
