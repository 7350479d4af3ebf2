/// `NO_PROXY` as curl reads it: a comma-separated list of host names (each also matching its
/// subdomains; a leading dot is optional), IP addresses, address ranges (`10.0.0.0/8`), each with
/// an optional `:port`; `*` alone matches every host.
public struct NoProxyRules: Sendable, Hashable {
    private enum Rule: Sendable, Hashable {
        case everything
        case domain(String, port: Int?)
        case address(IPAddress, prefix: Int, port: Int?)
    }

    private var rules: [Rule]

    /// The rules of `text` (empty when nil).
    public init(_ text: String?) {
        rules = (text ?? "").split(separator: ",").compactMap { raw -> Rule? in
            var entry = String(raw).trimmingSpaces.lowercased()
            guard !entry.isEmpty else { return nil }
            if entry == "*" { return .everything }
            var port: Int?
            if entry.hasPrefix("[") {
                // [::1]:8080 or [::1]
                guard let close = entry.firstIndex(of: "]") else { return nil }
                let after = entry[entry.index(after: close)...]
                if after.hasPrefix(":") { port = Int(after.dropFirst()) }
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.lastIndex(of: ":"),
                let number = Int(entry[entry.index(after: colon)...])
            {
                port = number
                entry = String(entry[..<colon])
            }
            var prefix: Int?
            if let slash = entry.firstIndex(of: "/"), let bits = Int(entry[entry.index(after: slash)...]) {
                prefix = bits
                entry = String(entry[..<slash])
            }
            if let address = IPAddress(entry) {
                return .address(address, prefix: prefix ?? address.bytes.count * 8, port: port)
            }
            while entry.hasPrefix(".") || entry.hasPrefix("*.") { entry.removeFirst(entry.hasPrefix(".") ? 1 : 2) }
            return entry.isEmpty ? nil : .domain(entry, port: port)
        }
    }

    /// Whether a request to `host` (lower case, no brackets) on `port` goes direct.
    public func matches(host: String, port: Int?) -> Bool {
        let address = IPAddress(host)
        return rules.contains { rule in
            switch rule {
            case .everything:
                return true
            case .domain(let domain, let rulePort):
                guard rulePort == nil || rulePort == port else { return false }
                return host == domain || host.hasSuffix("." + domain)
            case .address(let network, let prefix, let rulePort):
                guard rulePort == nil || rulePort == port, let address else { return false }
                return address.isIn(network, prefix: prefix)
            }
        }
    }

    /// Whether there are no rules.
    public var isEmpty: Bool { rules.isEmpty }
}
