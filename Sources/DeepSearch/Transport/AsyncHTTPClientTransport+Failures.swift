import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

extension AsyncHTTPClientTransport {
    /// Turns AsyncHTTPClient, NIO and TLS errors into the user's words, naming the URL or the
    /// proxy: no library type names, no error numbers, no build paths.
    func translate(_ error: any Error, request: HTTPRequest, timeout: Duration) async -> DeepSearchError {
        if let proxy, let failure = await Self.proxyFailure(error, proxy: proxy, request: request) { return failure }
        if let failure = await tlsFailure(error, request: request) { return failure }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return TransportFailure.timeout(request, timeout)
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return TransportFailure.connectTimedOut(request)
            case .remoteConnectionClosed:
                return TransportFailure.closedEarly(request)
            case .cancelled:
                return DeepSearchError(.transport, "\(TransportFailure.place(request)) was cancelled")
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportFailure.invalidURL(request)
            case .unsupportedScheme(URLParts(request.baseURL)?.scheme ?? ""), .unsupportedScheme(Self.scheme(of: request.baseURL)):
                return TransportFailure.invalidURL(request)
            default:
                return TransportFailure.other(request, "the HTTP client failed (\(Self.words(of: error)))")
            }
        }
        if let error = error as? HTTPParserError {
            switch error {
            case .invalidEOFState, .closedConnection: return TransportFailure.closedEarly(request)
            case .invalidContentLength, .unexpectedContentLength:
                return TransportFailure.other(request, "the answer is not HTTP/1.1: its Content-Length is not a length")
            case .invalidChunkSize: return TransportFailure.other(request, "the answer is not HTTP/1.1: a chunk size is not hexadecimal")
            default: return TransportFailure.other(request, "the answer is not HTTP/1.1 (\(error))")
            }
        }
        if let code = Self.errnoCode(in: error) {
            switch code {
            case ECONNREFUSED: return TransportFailure.refused(request)
            case ECONNRESET, EPIPE: return TransportFailure.reset(request)
            case ETIMEDOUT: return TransportFailure.timeout(request, timeout)
            default: return TransportFailure.other(request, String(cString: strerror(code)))
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return TransportFailure.connectTimedOut(request)
        }
        if Self.isUnresolvable(error) { return TransportFailure.unresolvable(request) }
        return TransportFailure.other(request, Self.words(of: error))
    }

    /// A failure of the proxy itself: it cannot be reached, it asks for credentials, it refuses
    /// the tunnel or cannot open it. Nil when the failure lies beyond it.
    static func proxyFailure(_ error: any Error, proxy: ProxyServer, request: HTTPRequest) async -> DeepSearchError? {
        let target = URLParts(request.baseURL).map { "\(URLParts.bracketed($0.host)):\($0.port ?? 443)" } ?? request.baseURL
        if let error = error as? HTTPClientError {
            switch error {
            case .proxyAuthenticationRequired:
                return proxy.username == nil
                    ? DeepSearchError(
                        .proxy, "\(proxy.description) asks for credentials (407 Proxy Authentication Required)",
                        advice: "put them in the proxy URL: http://USER:PASSWORD@\(proxy.host):\(proxy.port)")
                    : DeepSearchError(
                        .proxy, "\(proxy.description) refused the credentials in its URL (407 Proxy Authentication Required)",
                        advice: "check the user and password in the proxy URL")
            case .invalidProxyResponse:
                return tunnelRefused(await ProxyProbe.connect(to: target, through: proxy), proxy: proxy, target: target)
            case .remoteConnectionClosed:
                // Closed by the proxy before it answered CONNECT, or by the API in the tunnel:
                // the proxy, asked again, tells which.
                let answer = await ProxyProbe.connect(to: target, through: proxy)
                if answer?.status == 200 { break }
                return tunnelRefused(answer, proxy: proxy, target: target)
            case .httpProxyHandshakeTimeout:
                return DeepSearchError(.proxy, "\(proxy.description) did not open a connection to \(target) in time", advice: "check the proxy")
            default:
                break
            }
        }
        // Every connection goes to the proxy, so failing to connect is failing to reach it.
        if let code = errnoCode(in: error), code == ECONNREFUSED || code == EHOSTUNREACH || code == ENETUNREACH {
            return DeepSearchError(
                .transport, "cannot reach \(proxy.description): \(code == ECONNREFUSED ? "connection refused" : String(cString: strerror(code)))",
                advice: "check the proxy, or go direct for this host with NO_PROXY")
        }
        if isUnresolvable(error) {
            return DeepSearchError(.transport, "cannot reach \(proxy.description): its host name does not resolve", advice: "check the proxy URL")
        }
        if let error = error as? HTTPClientError, error == .connectTimeout {
            return DeepSearchError(.transport, "cannot reach \(proxy.description): the connection timed out", advice: "check the proxy")
        }
        return nil
    }

    /// The proxy's answer to CONNECT, read for what it means: 403 a refusal (by rule); 502, 503
    /// and 504 the proxy could not reach the API, and so any status squid names so (it answers
    /// 500 when its DNS gives no answer); anything else the proxy's own failure. The status is
    /// the proxy's, not the API's: it is said, not kept as the error's status.
    static func tunnelRefused(_ answer: ProxyProbe.Answer?, proxy: ProxyServer, target: String) -> DeepSearchError {
        guard let answer else {
            return DeepSearchError(
                .proxy, "\(proxy.description) would not open a connection to \(target)",
                advice: "check the proxy; ask for \(target) to be allowed, or leave it out of the proxy with NO_PROXY")
        }
        let unreachable = answer.proxyError.map { ProxyProbe.unreachableErrors.contains($0) } ?? false
        switch answer.status {
        case _ where unreachable, 502, 503, 504:
            return DeepSearchError(
                .proxy, "\(proxy.description) could not reach \(target) (\(answer.statusLine))",
                advice: "check the API URL, and that the proxy can reach it; or try again later")
        case 403:
            return DeepSearchError(
                .proxy, "\(proxy.description) refused to connect to \(target) (\(answer.statusLine))",
                advice: "ask for \(target) to be allowed, or leave it out of the proxy with NO_PROXY")
        case 407:
            return DeepSearchError(
                .proxy, "\(proxy.description) asks for credentials (\(answer.statusLine))",
                advice: "put them in the proxy URL: http://USER:PASSWORD@\(URLParts.bracketed(proxy.host)):\(proxy.port)")
        default:
            return DeepSearchError(
                .proxy, "\(proxy.description) failed to open a connection to \(target) (\(answer.statusLine))",
                advice: "the error is the proxy's own: check the proxy, or ask whoever runs it")
        }
    }

    /// A TLS failure, said for what it is: a certificate that is not trusted, expired or for
    /// another host; a server that does not speak TLS; a refused handshake. These cannot heal,
    /// so they are not retried (code `.tls`). The handshake's reasons are BoringSSL's reason
    /// codes (`CERTIFICATE_VERIFY_FAILED`…): NIOSSL makes them public only as that text, not as
    /// numbers, so they are matched as codes, never as sentences.
    func tlsFailure(_ error: any Error, request: HTTPRequest) async -> DeepSearchError? {
        let place = "cannot reach \(request.baseURL)"
        let url = URLParts(request.baseURL)
        let host = url?.host ?? request.baseURL
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return await certificateFailure(host: host, port: url?.port ?? 443, place: place, hostnameFailed: true)
        }
        guard let ssl = error as? NIOSSLError else { return nil }
        switch ssl {
        case .handshakeFailed(let boring):
            let reasons = "\(boring)".uppercased()
            if reasons.contains("EOF DURING HANDSHAKE") {
                return DeepSearchError(
                    .tls, "\(place): the server closed the connection during the TLS handshake",
                    advice: "check the API URL, and whether a proxy or firewall blocks it")
            }
            if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
                return await certificateFailure(host: host, port: url?.port ?? 443, place: place, hostnameFailed: false)
            }
            if reasons.contains("WRONG_VERSION_NUMBER") || reasons.contains("HTTP_REQUEST") || reasons.contains("RECORD_TOO_LARGE") {
                return DeepSearchError(
                    .tls, "\(place): the server does not speak TLS there",
                    advice: "check the URL: is it http:// rather than https://, or the wrong port?")
            }
            if reasons.contains("PROTOCOL_VERSION") || reasons.contains("UNSUPPORTED_PROTOCOL") || reasons.contains("NO_SHARED_CIPHER")
                || reasons.contains("HANDSHAKE_FAILURE") || reasons.contains("NO_CIPHERS")
            {
                return DeepSearchError(
                    .tls, "\(place): the server refused the TLS handshake (no TLS version or cipher in common)",
                    advice: "check the API URL; extruct-shell speaks TLS 1.2 and 1.3")
            }
            return DeepSearchError(
                .tls, "\(place): the TLS handshake failed", advice: "check the API URL, and whether a proxy or firewall is in the way")
        case .uncleanShutdown:
            // The connection ended without TLS's closing message, after the handshake: cut.
            return TransportFailure.closedEarly(request)
        case .failedToLoadCertificate, .failedToLoadPrivateKey:
            // A CA file checked at start (it has a PEM certificate marker) that TLS cannot read.
            return DeepSearchError(
                .tls, "\(place): a CA file given to trust holds a certificate TLS cannot read",
                advice: "check the files of --ca-file, EXTRUCT_CA_FILE, the profile's ca_file and SSL_CERT_FILE: each must hold PEM certificates")
        default:
            return DeepSearchError(
                .tls, "\(place): the TLS connection failed", advice: "check the API URL, and whether a proxy or firewall is in the way")
        }
    }

    /// What is wrong with the certificate `host:port` presents, found by looking at it (directly;
    /// through a proxy only the general reason can be given).
    private func certificateFailure(host: String, port: Int, place: String, hostnameFailed: Bool) async -> DeepSearchError {
        let finding = proxy == nil ? await CertificateProbe.inspect(host: host, port: port) : nil
        if let finding,
            let problem = Self.certificateProblem(
                names: finding.names, notValidBefore: Int(finding.notValidBefore), notValidAfter: Int(finding.notValidAfter), host: host,
                hostnameFailed: hostnameFailed)
        {
            return DeepSearchError(.tls, "\(place): \(problem.what)", advice: problem.advice)
        } else if finding == nil, hostnameFailed {
            return DeepSearchError(.tls, "\(place): its certificate is not for \(host)", advice: "check the API URL (--api-url or EXTRUCT_API_URL)")
        }
        return DeepSearchError(
            .tls,
            "\(place): its certificate is not trusted here (\(finding == nil ? "expired, or " : "")issued by an authority this machine does not know)",
            advice: "if a proxy or gateway inspects TLS, give its CA with --ca-file or SSL_CERT_FILE")
    }

    /// What is wrong with a certificate that says these things, for `host`, but who issued it:
    /// expired, not yet valid, or for other names; nil when none of them.
    static func certificateProblem(
        names: [String], notValidBefore: Int, notValidAfter: Int, host: String, hostnameFailed: Bool
    ) -> (what: String, advice: String)? {
        let now = Int(time(nil))
        if notValidAfter < now {
            return (
                "its certificate expired on \(day(time_t(notValidAfter)))",
                "check this machine's date; if it is right, the server must renew its certificate"
            )
        }
        if notValidBefore > now { return ("its certificate is valid only from \(day(time_t(notValidBefore)))", "check this machine's date") }
        if hostnameFailed || !CertificateProbe.covers(names, host: host) {
            let shown = names.isEmpty ? "no host name" : names.prefix(5).joined(separator: ", ")
            return ("its certificate is for \(shown), not \(host)", "check the API URL (--api-url or EXTRUCT_API_URL)")
        }
        return nil
    }

    /// `2026-11-30` for a time.
    static func day(_ time: time_t) -> String {
        var t = time
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }

    /// Whether the host name did not resolve: NIO's resolver failed for it, and no address was
    /// tried. Told by the errors' types, never by their descriptions.
    static func isUnresolvable(_ error: any Error) -> Bool {
        if error is SocketAddressError.UnknownHost { return true }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.isEmpty && (connection.dnsAError != nil || connection.dnsAAAAError != nil)
        }
        return false
    }

    /// The scheme of `url` as written (AsyncHTTPClient names an unsupported one so).
    static func scheme(of url: String) -> String {
        url.firstRange(of: "://").map { String(url[..<$0.lowerBound]) } ?? ""
    }

    /// A library error in a few plain words: its description without type names and paths, cut
    /// at a word.
    static func words(of error: any Error) -> String {
        var text = String(describing: error).withoutControlCharacters
        if let paren = text.firstIndex(of: "(") { text = String(text[..<paren]) }
        let plain = text.replacing("HTTPClientError.", with: "").replacing("NIOSSLError.", with: "")
        if plain.count <= 80 { return plain }
        let cut = plain.prefix(80)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }

    static func errnoCode(in error: any Error) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let code = errnoCode(in: attempt.error) { return code }
            }
        }
        return nil
    }
}
