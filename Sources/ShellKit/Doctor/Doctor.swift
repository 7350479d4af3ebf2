import DeepSearch

/// Why the shell cannot work, step by step in the order a request takes them: the API URL, the
/// host name looked up, the proxy, TLS, the API's health check, the token, the plan, the credits.
/// Once a step that every later one needs fails, the later ones are shown skipped, with why.
/// The proxy and the CA files are the shell's own (`NetworkConfiguration`, as `NetworkSettings`
/// resolved them); the requests are the client's, over the shell's transport.
@MainActor
enum Doctor {
    /// The longest a name lookup, the proxy or the TLS handshake may take (or `timeout`, when shorter).
    static let probeTimeout: Duration = .seconds(10)

    /// Every check, in order, each told to `found` as soon as it is known (a slow step shows
    /// the steps before it). Throws only when cancelled.
    static func run(_ context: CommandContext, found: (DoctorCheck) -> Void = { _ in }) async throws -> [DoctorCheck] {
        var checks: [DoctorCheck] = [] {
            didSet { if let last = checks.last, checks.count > oldValue.count { found(last) } }
        }
        let session = context.session
        let options = context.environment.options
        let network = options.network
        let timeout = min(probeTimeout, .milliseconds(Int64(session.settings.requestTimeout * 1000)))
        // Why the later steps are not tried, once one that they need has failed.
        var blocked: String?
        func skip(_ names: String...) {
            for name in names { checks.append(DoctorCheck(name, .skipped, blocked ?? "skipped")) }
        }

        // The API URL.
        guard let url = URLParts(session.apiURL), ["http", "https"].contains(url.scheme) else {
            // Never a password the URL may hold: what is before an @ is left out.
            let shown =
                URLParts(session.apiURL).map { "\($0.scheme)://\($0.authority)\($0.path)" }
                ?? session.apiURL.split(separator: "@").last.map(String.init) ?? ""
            let what = URLParts(session.apiURL).map { "is \($0.scheme)://, not http:// or https://" } ?? "is not a URL"
            checks.append(
                DoctorCheck(
                    "api_url", .failed, "\(shown.withoutControlCharacters) (\(origin(session.apiURLOrigin))) \(what)",
                    advice: "give one such as https://api.extruct.ai with --api-url or EXTRUCT_API_URL"))
            blocked = "skipped: there is no API URL to reach"
            skip("dns", "proxy", "tls", "healthcheck", "token", "plan", "credits")
            return checks
        }
        let shownURL = "\(url.scheme)://\(url.authority)\(url.path)".withoutControlCharacters
        // The token crosses the network in clear text only to this machine, as the client has it.
        let clearText = url.scheme == "http" && !url.isLoopback
        let tokenRefused = clearText && session.token != nil && !options.allowInsecureHTTP
        if tokenRefused {
            checks.append(
                DoctorCheck(
                    "api_url", .failed, "\(shownURL) (\(origin(session.apiURLOrigin))) is plain http to another machine: the token is not sent",
                    advice: "use an https:// URL, or pass --allow-insecure-http if you really mean it"))
        } else if clearText {
            checks.append(
                DoctorCheck(
                    "api_url", .ok,
                    "\(shownURL) (\(origin(session.apiURLOrigin))), plain http: \(session.token == nil ? "anything sent" : "the token") crosses the network in clear text"
                ))
        } else {
            let place = url.isLoopback ? ", this machine" : ""
            checks.append(DoctorCheck("api_url", .ok, "\(shownURL) (\(origin(session.apiURLOrigin)))\(place)"))
        }

        // Nothing goes on the network when the answers come from a cassette or nothing is sent.
        if options.dryRun || options.replayHTTP != nil {
            blocked =
                options.dryRun
                ? "skipped: a dry run (--dry-run) sends nothing" : "skipped: replaying a cassette (--replay-http): nothing goes on the network"
            skip("dns", "proxy", "tls")
            if options.dryRun {
                skip("healthcheck", "token", "plan", "credits")
                return checks
            }
            blocked = nil
        } else {
            let proxy = network.proxy(for: session.apiURL)
            checks.append(try await lookUp(url, proxy: proxy, timeout: timeout))
            if checks.last?.verdict == .failed { blocked = "skipped: the host name does not resolve" }
            if blocked == nil {
                checks.append(try await proxyCheck(url, network: network, proxy: proxy, timeout: timeout))
                if checks.last?.verdict == .failed { blocked = "skipped: the proxy does not let it through" }
            } else {
                skip("proxy")
            }
            if blocked == nil {
                checks.append(try await tlsCheck(url, network: network, proxy: proxy, timeout: timeout))
                if checks.last?.verdict == .failed { blocked = "skipped: no TLS connection" }
            } else {
                skip("tls")
            }
            if blocked != nil {
                skip("healthcheck", "token", "plan", "credits")
                return checks
            }
        }

        // The API: no retries (what is wrong now is what is asked), the session's timeout.
        let client = context.client().with { $0.retryPolicy = .none }
        do {
            let health = try await client.send(.healthcheck)
            let status = health.value["status"]?.stringValue.map { ": \($0.withoutControlCharacters.prefix(40))" } ?? ""
            checks.append(DoctorCheck("healthcheck", .ok, "GET /v1/healthcheck answered \(health.status)\(status)"))
        } catch let error as DeepSearchError {
            checks.append(DoctorCheck("healthcheck", .failed, error.message, advice: error.advice))
            if error.status == nil { blocked = "skipped: the API did not answer" }
        }
        try Task.checkCancellation()
        if blocked != nil {
            skip("token", "plan", "credits")
            return checks
        }

        // The token, and what it gives access to.
        guard let token = session.token, !token.isEmpty else {
            checks.append(
                DoctorCheck(
                    "token", .failed, "no token given (--token, EXTRUCT_API_TOKEN, a profile's token, token --prompt)",
                    advice: "run token --prompt or set EXTRUCT_API_TOKEN (make one at app.extruct.ai/api-tokens)"
                        + (options.simulatorURL == session.apiURL ? "" : ", or try --demo")))
            blocked = "skipped: needs a token"
            skip("plan", "credits")
            return checks
        }
        let masked = "\(session.maskedToken) (from \(session.tokenOrigin))"
        if tokenRefused {
            blocked = "skipped: the token is not sent over plain http to another machine"
            skip("token", "plan", "credits")
            return checks
        }
        let account: Account
        do {
            account = try await client.send(.user).value
        } catch let error as DeepSearchError {
            checks.append(DoctorCheck("token", .failed, "\(masked): \(error.message)", advice: error.advice))
            blocked = error.code == .unauthorized ? "skipped: the token was refused" : "skipped: the account could not be read"
            skip("plan", "credits")
            return checks
        }
        let who = account.email ?? account.userID
        let organisation = (account.organizationName ?? account.organizationSlug).map { ", \($0)" } ?? ""
        checks.append(DoctorCheck("token", .ok, "\(masked) is \(who)\(organisation)"))
        try Task.checkCancellation()

        do {
            let subscription = try await client.send(.billing).value.subscription
            let plan = [subscription?.planTier, subscription?.status].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " · ")
            if subscription?.requiresSubscription == true {
                checks.append(
                    DoctorCheck(
                        "plan", .failed, "\(plan.isEmpty ? "no plan" : plan): Deep Search needs a plan",
                        advice: "choose one at https://app.extruct.ai, or ask your organisation for access"))
            } else {
                checks.append(DoctorCheck("plan", .ok, plan.isEmpty ? "the API did not name it" : plan))
            }
        } catch let error as DeepSearchError {
            checks.append(DoctorCheck("plan", .failed, error.message, advice: error.advice))
        }

        switch account.availableCredits {
        case nil:
            checks.append(DoctorCheck("credits", .skipped, "the API did not say how many are left"))
        case let credits? where credits <= 0:
            checks.append(
                DoctorCheck(
                    "credits", .failed, "\(credits == 0 ? "none" : AccountCard.grouped(credits)) left: create and resume are refused",
                    advice: "add credits at https://app.extruct.ai"))
        case let credits?:
            checks.append(DoctorCheck("credits", .ok, "\(AccountCard.grouped(credits)) left"))
        }
        return checks
    }

    /// `from EXTRUCT_API_URL`, or `the default`.
    static func origin(_ origin: String) -> String {
        origin.hasPrefix("the ") ? origin : "from \(origin)"
    }

    /// The host name looked up, as a connection will: the API's, or the proxy's when a proxy
    /// is in the way (the proxy looks the API's up).
    static func lookUp(_ url: URLParts, proxy: ProxyServer?, timeout: Duration) async throws -> DoctorCheck {
        let host = proxy?.host ?? url.host
        let whose = proxy == nil ? "" : "the proxy's host "
        let byProxy = proxy == nil ? "" : "\(url.host) is looked up by the proxy; "
        if ConnectionProbe.isAddress(host) {
            return DoctorCheck("dns", .ok, "\(byProxy)\(whose)\(host) is an address: nothing to look up")
        }
        let found = await ConnectionProbe.resolve(host, timeout: timeout)
        try Task.checkCancellation()
        let check =
            proxy == nil ? "check the API URL (\(url.host)) and this machine's DNS" : "check the proxy URL (from \(proxy!.origin))"
        switch found {
        case .addresses(let addresses):
            let shown = addresses.prefix(3).joined(separator: ", ") + (addresses.count > 3 ? " and \(addresses.count - 3) more" : "")
            return DoctorCheck("dns", .ok, "\(byProxy)\(whose)\(host) → \(shown)")
        case .failed(let reason):
            return DoctorCheck("dns", .failed, "\(byProxy)\(whose)\(host) does not resolve (\(reason))", advice: check)
        case .timedOut:
            return DoctorCheck(
                "dns", .failed, "\(byProxy)no answer for \(whose)\(host) within \(timeout.components.seconds) s",
                advice: "check this machine's DNS (/etc/resolv.conf) and network")
        }
    }

    /// Which proxy and from where; for one in use, whether it lets the API through.
    static func proxyCheck(_ url: URLParts, network: NetworkConfiguration, proxy: ProxyServer?, timeout: Duration) async throws -> DoctorCheck {
        guard let proxy else {
            let configured = url.scheme == "https" ? network.httpsProxy : network.httpProxy
            guard let configured else {
                return DoctorCheck("proxy", .ok, "none: direct (no --proxy, proxy in the profile, \(url.scheme)_proxy or all_proxy)")
            }
            let why = url.isLoopback ? "\(url.host) is this machine, always reached directly" : "NO_PROXY leaves \(url.host) out"
            return DoctorCheck("proxy", .ok, "none: \(why) (\(configured.displayString) from \(configured.origin) is not used)")
        }
        let failure = await ConnectionProbe.proxy(proxy, for: url, timeout: timeout)
        try Task.checkCancellation()
        if let failure { return DoctorCheck("proxy", .failed, failure.message, advice: failure.advice) }
        let what = url.scheme == "https" ? "opens a tunnel to \(url.authority)\(url.explicitPort == nil ? ":443" : "")" : "takes connections"
        return DoctorCheck("proxy", .ok, "\(proxy.displayString) (from \(proxy.origin)) \(what)")
    }

    /// The TLS handshake with the trust the shell uses; the server's certificate and the CA files.
    static func tlsCheck(_ url: URLParts, network: NetworkConfiguration, proxy: ProxyServer?, timeout: Duration) async throws -> DoctorCheck {
        guard url.scheme == "https" else {
            return DoctorCheck("tls", .skipped, "plain http: no TLS")
        }
        let files = network.trustedCertificateFiles
        let system = "the system's CAs" + (files.first(where: \.isSystemBundle).map { " (\($0.path), from \($0.origin))" } ?? "")
        let trusted = [system] + files.filter { !$0.isSystemBundle }.map { "\($0.path) (from \($0.origin))" }
        let trusting = "trusting " + (trusted.count == 1 ? trusted[0] : trusted.dropLast().joined(separator: ", ") + " and " + trusted.last!)
        let found = await ConnectionProbe.tls(url, network: network, proxy: proxy, timeout: timeout)
        try Task.checkCancellation()
        var seen = ""
        if let certificate = found.certificate {
            seen =
                "certificate for \(certificate.subject), issued by \(certificate.isSelfIssued ? "itself" : certificate.issuer), valid until \(certificate.expiry); "
        }
        if let failure = found.failure {
            // The failure names what of the certificate is wrong.
            return DoctorCheck("tls", .failed, "\(failure.message); \(trusting)", advice: failure.advice)
        }
        return DoctorCheck("tls", .ok, "\(seen)\(trusting)")
    }
}
