/// How requests reach the API: the certificate authorities trusted besides the system's, and the
/// proxies in between. Resolved once at start from flags, the environment and the profile.
public struct NetworkConfiguration: Sendable, Hashable {
    /// PEM bundles whose certificates are trusted in addition to the system's roots.
    public var trustedCertificateFiles: [CertificateFile]
    /// The proxy for `https://` URLs.
    public var httpsProxy: ProxyServer?
    /// The proxy for `http://` URLs.
    public var httpProxy: ProxyServer?
    /// Hosts reached directly whatever the proxies (`NO_PROXY`).
    public var noProxy: NoProxyRules

    /// No proxy, the system's roots only.
    public static let direct = NetworkConfiguration()

    /// A configuration of these parts.
    public init(
        trustedCertificateFiles: [CertificateFile] = [], httpsProxy: ProxyServer? = nil, httpProxy: ProxyServer? = nil,
        noProxy: NoProxyRules = NoProxyRules(nil)
    ) {
        self.trustedCertificateFiles = trustedCertificateFiles
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    /// The proxy a request to `baseURL` goes through; nil: direct. A URL whose host is this
    /// machine (`localhost`, a loopback address) always goes direct, as Go's net/http does, so
    /// `--demo` and a local simulator work in a terminal where proxies are set.
    public func proxy(for baseURL: String) -> ProxyServer? {
        guard let url = URLParts(baseURL), !url.isLoopback else { return nil }
        let proxy = url.scheme == "https" ? httpsProxy : url.scheme == "http" ? httpProxy : nil
        guard let proxy, !noProxy.matches(host: url.host, port: url.port) else { return nil }
        return proxy
    }

    /// The proxies the environment names, as curl reads them: `https_proxy` (or `HTTPS_PROXY`),
    /// `http_proxy` (or `HTTP_PROXY`), `all_proxy` (or `ALL_PROXY`) for both, `no_proxy` (or
    /// `NO_PROXY`). `explicit` (from `--proxy` or a profile) replaces the first three; `NO_PROXY`
    /// still applies to it.
    public static func proxies(
        explicit: (url: String, origin: String)?, environment value: (String) -> String?
    ) throws(NetworkConfigurationError) -> (https: ProxyServer?, http: ProxyServer?, noProxy: NoProxyRules) {
        func named(_ names: String...) -> (url: String, origin: String)? {
            for name in names { if let url = value(name), !url.isEmpty { return (url, name) } }
            return nil
        }
        let noProxy = NoProxyRules(named("no_proxy", "NO_PROXY")?.url)
        if let explicit {
            let proxy = try ProxyServer(url: explicit.url, origin: explicit.origin)
            return (proxy, proxy, noProxy)
        }
        let all = named("all_proxy", "ALL_PROXY")
        let https = try (named("https_proxy", "HTTPS_PROXY") ?? all).map { entry throws(NetworkConfigurationError) in
            try ProxyServer(url: entry.url, origin: entry.origin)
        }
        let http = try (named("http_proxy", "HTTP_PROXY") ?? all).map { entry throws(NetworkConfigurationError) in
            try ProxyServer(url: entry.url, origin: entry.origin)
        }
        return (https, http, noProxy)
    }
}

/// A PEM bundle of certificate authorities to trust, and where it was named.
public struct CertificateFile: Sendable, Hashable {
    public var path: String
    /// `--ca-file`, `SSL_CERT_FILE`, `profile work`…
    public var origin: String
    /// What a file that cannot be used means.
    public var ifUnusable: IfUnusable

    /// When and how a bundle that cannot be used (missing, unreadable, no certificate) is said.
    public enum IfUnusable: Sendable, Hashable {
        /// An error at start: the user named it for this run (`--ca-file`).
        case errorAtStart
        /// An error for every TLS request (`EXTRUCT_CA_FILE`, a profile's `ca_file`): a run
        /// that never uses TLS (`--demo`, plain http) is not stopped by it.
        case errorWhenNeeded
        /// A warning at the first TLS request, and the file is left out (`SSL_CERT_FILE`: set
        /// for every program, and often left naming a file an upgrade removed).
        case warning
    }

    /// The bundle at `path`, named by `origin`.
    public init(path: String, origin: String, ifUnusable: IfUnusable = .errorAtStart) {
        self.path = path
        self.origin = origin
        self.ifUnusable = ifUnusable
    }
}

/// A proxy server: where it is, whom to say we are, and where it came from.
public struct ProxyServer: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Sent as `Proxy-Authorization: Basic …`; never shown.
    public var username: String?
    public var password: String?
    /// `--proxy`, `HTTPS_PROXY`, `profile work`…
    public var origin: String

    /// The proxy of `url` (`http://[user:password@]host[:port]`, port 1080 by default as curl has
    /// it, or a bare `host:port`).
    public init(url: String, origin: String) throws(NetworkConfigurationError) {
        let text = url.contains("://") ? url : "http://" + url
        guard let parts = URLParts(text) else {
            throw NetworkConfigurationError("the proxy \(Self.redacted(url)) (from \(origin)) is not a URL such as http://proxy.example:3128")
        }
        guard parts.scheme == "http" else {
            throw NetworkConfigurationError(
                "the proxy \(parts.displayString) (from \(origin)) is \(parts.scheme)://; only http:// proxies are supported (https goes through them with CONNECT)"
            )
        }
        host = parts.host
        port = parts.explicitPort ?? 1080
        username = parts.user
        password = parts.password
        self.origin = origin
    }

    /// `http://host:port`, never with credentials.
    public var displayString: String { "http://\(URLParts.bracketed(host)):\(port)" }

    /// How it is named in messages: `http://proxy:3128 (from HTTPS_PROXY)`.
    public var description: String { "the proxy \(displayString) (from \(origin))" }

    /// The words that must never be shown: the password, and the user with it.
    public var secrets: [String] {
        guard let password, !password.isEmpty else { return [] }
        return [password] + (username.map { ["\($0):\(password)"] } ?? [])
    }

    /// `url` with any credentials left out, for a message about a URL that did not parse.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        let scheme = url.firstRange(of: "://").map { String(url[..<$0.upperBound]) } ?? ""
        return scheme + "…@" + url[url.index(after: at)...]
    }
}

/// A proxy or certificate setting that cannot be used, said so the user can fix it.
public struct NetworkConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
