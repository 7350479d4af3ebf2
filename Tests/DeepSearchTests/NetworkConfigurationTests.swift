import Testing

@testable import DeepSearch

/// Which requests go through which proxy: curl's NO_PROXY rules, the environment's names, and
/// loopback always direct.
@Suite struct NetworkConfigurationTests {
    @Test(arguments: [
        ("example.com", "example.com", 443, true),
        ("example.com", "api.example.com", 443, true),
        (".example.com", "api.example.com", 443, true),
        (".example.com", "example.com", 443, true),
        ("*.example.com", "api.example.com", 443, true),
        ("example.com", "notexample.com", 443, false),
        ("example.com:8443", "example.com", 8443, true),
        ("example.com:8443", "example.com", 443, false),
        ("10.0.0.0/8", "10.1.2.3", 443, true),
        ("10.0.0.0/8", "11.1.2.3", 443, false),
        ("192.168.1.7", "192.168.1.7", 443, true),
        ("[::1]:8080", "::1", 8080, true),
        ("fd00::/8", "fd12::1", 443, true),
        ("*", "anything.example", 443, true),
        (" a.example , B.Example ", "b.example", 443, true),
        ("", "example.com", 443, false),
    ])
    func noProxyFollowsCurl(_ rules: String, _ host: String, _ port: Int, _ bypassed: Bool) {
        #expect(NoProxyRules(rules).matches(host: host, port: port) == bypassed, "NO_PROXY=\(rules) for \(host):\(port)")
    }

    func environment(_ values: [String: String]) -> (String) -> String? { { values[$0] } }

    @Test func theEnvironmentNamesTheProxiesLowerCaseFirst() throws {
        let proxies = try NetworkConfiguration.proxies(
            explicit: nil,
            environment: environment([
                "HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128", "HTTP_PROXY": "plain.example:8080",
                "NO_PROXY": "internal.example",
            ]))
        #expect(proxies.https?.host == "lower" && proxies.https?.origin == "https_proxy")
        #expect(proxies.http?.host == "plain.example" && proxies.http?.port == 8080 && proxies.http?.origin == "HTTP_PROXY")
        #expect(proxies.noProxy.matches(host: "a.internal.example", port: 443))
        let all = try NetworkConfiguration.proxies(explicit: nil, environment: environment(["ALL_PROXY": "http://all.example"]))
        #expect(all.https?.host == "all.example" && all.https?.port == 1080, "curl's default proxy port")
        let explicit = try NetworkConfiguration.proxies(
            explicit: ("http://flag.example:9", "--proxy"), environment: environment(["HTTPS_PROXY": "http://env.example:1"]))
        #expect(explicit.https?.host == "flag.example" && explicit.http?.origin == "--proxy")
    }

    @Test func credentialsAreKeptForTheHeaderAndNeverShown() throws {
        let proxy = try ProxyServer(url: "http://alice:s%40cret@proxy.example:3128", origin: "HTTPS_PROXY")
        #expect(proxy.username == "alice" && proxy.password == "s@cret")
        #expect(proxy.description == "the proxy http://proxy.example:3128 (from HTTPS_PROXY)")
        #expect(proxy.secrets.contains("s@cret") && proxy.secrets.contains("alice:s@cret"))
        do {
            _ = try ProxyServer(url: "socks5://bob:hunter2@proxy.example", origin: "--proxy")
            Issue.record("a socks proxy was accepted")
        } catch {
            #expect(error.description.contains("only http:// proxies"))
            #expect(!error.description.contains("hunter2"))
        }
        do {
            _ = try ProxyServer(url: "http://bob:hunter2@", origin: "--proxy")
            Issue.record("a proxy without a host was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"), "\(error.description)")
        }
    }

    @Test func loopbackAlwaysGoesDirectAndNoProxyIsHonoured() throws {
        let proxy = try ProxyServer(url: "http://proxy.example:3128", origin: "HTTPS_PROXY")
        let network = NetworkConfiguration(httpsProxy: proxy, httpProxy: proxy, noProxy: NoProxyRules("internal.example"))
        #expect(network.proxy(for: "https://api.extruct.ai") == proxy)
        #expect(network.proxy(for: "http://api.extruct.ai") == proxy)
        for direct in [
            "http://127.0.0.1:8080", "https://localhost:8443", "http://[::1]:9", "https://127.3.4.5", "https://svc.internal.example",
        ] {
            #expect(network.proxy(for: direct) == nil, "\(direct) goes direct")
        }
        // A name under .localhost is resolved as any other name here (by DNS), so it is not
        // taken for this machine (ThisMachineTests).
        #expect(network.proxy(for: "https://x.localhost") == proxy)
        #expect(NetworkConfiguration.direct.proxy(for: "https://api.extruct.ai") == nil)
    }

    @Test func urlPartsReadEveryShape() throws {
        let full = try #require(URLParts("HTTPS://user:p%3Ass@API.Example.com:8443/v1/x?y=1"))
        #expect(full.scheme == "https" && full.host == "api.example.com" && full.port == 8443 && full.path == "/v1/x?y=1")
        #expect(full.user == "user" && full.password == "p:ss")
        // A + in a user name or password is itself (a space only in a query).
        let plus = try #require(URLParts("http://a+b:pa+ss%2B@proxy.example:3128"))
        #expect(plus.user == "a+b" && plus.password == "pa+ss+")
        #expect(full.displayString == "https://api.example.com:8443")
        #expect(URLParts("http://[::1]")?.port == 80)
        #expect(URLParts("https://h")?.port == 443 && URLParts("https://h")?.explicitPort == nil)
        #expect(URLParts("no-scheme.example") == nil)
        #expect(URLParts("http://h:0") == nil && URLParts("http://h:70000") == nil && URLParts("http://") == nil)
    }
}
