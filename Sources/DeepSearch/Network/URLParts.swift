#if canImport(Glibc)
import Glibc
#endif

/// The parts of an absolute URL the network code needs: scheme, credentials, host, port, path.
/// (`scheme://[user[:password]@]host[:port][/path]`, an IPv6 host in brackets.)
public struct URLParts: Sendable, Hashable {
    /// Lower case: `http`, `https`.
    public var scheme: String
    public var user: String?
    public var password: String?
    /// Without brackets for IPv6; lower case.
    public var host: String
    /// The port the URL names, if it names one.
    public var explicitPort: Int?
    /// Everything from the first `/` after the authority; empty when there is none.
    public var path: String

    /// Parses `text`; nil when it is not an absolute URL with a host.
    public init?(_ text: String) {
        guard let separator = text.firstRange(of: "://") else { return nil }
        scheme = text[..<separator.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        var authority = text[separator.upperBound...]
        path = ""
        if let slash = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            path = String(authority[slash...])
            authority = authority[..<slash]
        }
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = URLEncoding.decode(String(credentials[..<colon])) ?? String(credentials[..<colon])
                let secret = String(credentials[credentials.index(after: colon)...])
                password = URLEncoding.decode(secret) ?? secret
            } else {
                user = URLEncoding.decode(String(credentials)) ?? String(credentials)
            }
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        host = host.lowercased()
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true })
        else { return nil }
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else { return nil }
            explicitPort = number
        }
    }

    /// The port given, or the scheme's (80, 443); nil when neither says.
    public var port: Int? { explicitPort ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) }

    /// Whether the host is this machine: the name `localhost`, or an address that parses as a
    /// loopback one (127.0.0.0/8, ::1, 127.0.0.0/8 mapped into IPv6). The one definition the
    /// clear-text refusal, the transport choice and the proxy bypass share: a name that merely
    /// looks like it (`127.evil.example`, `localhost.evil.example`, `evil.localhost`) is a name
    /// DNS answers for, and is not.
    public var isLoopback: Bool {
        host == "localhost" || IPAddress(host).map(\.isLoopback) == true
    }

    /// `scheme://host:port`, without credentials: what may be shown.
    public var displayString: String {
        "\(scheme)://\(Self.bracketed(host))" + (port.map { ":\($0)" } ?? "")
    }

    /// `host[:port]` as the URL gives them (an IPv6 host in brackets): a `Host` header.
    public var authority: String { Self.bracketed(host) + (explicitPort.map { ":\($0)" } ?? "") }

    /// `host`, in brackets when it is an IPv6 address.
    static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

/// An IPv4 or IPv6 address, as bytes, for loopback checks and NO_PROXY address ranges.
struct IPAddress: Sendable, Hashable {
    var bytes: [UInt8]

    init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    /// 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104 (an IPv4 loopback address mapped into IPv6).
    var isLoopback: Bool {
        if bytes.count == 4 { return bytes[0] == 127 }
        if bytes == Array(repeating: 0, count: 15) + [1] { return true }
        return bytes.prefix(12) == Array(repeating: 0, count: 10) + [0xFF, 0xFF] && bytes[12] == 127
    }

    /// Whether the first `bits` bits equal those of `network` (same family).
    func isIn(_ network: IPAddress, prefix bits: Int) -> Bool {
        guard bytes.count == network.bytes.count, bits <= bytes.count * 8 else { return false }
        var remaining = bits
        for (a, b) in zip(bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }
}
