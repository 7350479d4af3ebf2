import Synchronization
import Testing

@testable import DeepSearch

/// "This machine" has one definition, by parsing the address (never a string prefix), and the
/// clear-text refusal, the proxy bypass and the transport choice all use it.
@Suite struct ThisMachineTests {
    static let local = [
        "http://localhost:8080", "http://LOCALHOST", "http://127.0.0.1:9", "http://127.1.2.3", "http://127.255.255.254:80",
        "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]", "http://[::ffff:127.0.0.1]:80", "http://user@127.0.0.1:1",
    ]
    static let remote = [
        "http://127.evil.example:8080", "http://127.0.0.1.evil.example", "http://localhost.evil.example:1", "http://evil.localhost",
        "http://127.0.0.1:80@evil.example", "http://128.0.0.1", "http://[::2]", "http://1270.0.0.1", "http://api.example.com",
        "http://127.0.0.1%2eevil.example", "http://localhost.", "http://0x7f.0.0.1", "http://[::ffff:10.0.0.1]",
    ]

    @Test(arguments: local)
    func loopbackAddressesAreThisMachine(_ url: String) throws {
        #expect(try #require(URLParts(url)).isLoopback, "\(url)")
    }

    @Test(arguments: remote)
    func namesThatMerelyLookLikeItAreNot(_ url: String) {
        #expect(URLParts(url)?.isLoopback != true, "\(url)")
    }

    @Test(arguments: remote)
    func theTokenIsNotSentInClearTextToThem(_ url: String) async {
        let transport = CountingTransport()
        let client = DeepSearchClient(configuration: .init(baseURL: url, token: "xtk_secret_0123456789"), transport: transport)
        let error = await expectError { _ = try await client.listTasks() }
        #expect(error?.code == .insecureTransport, "\(url): \(error?.description ?? "sent")")
        #expect(transport.count == 0, "nothing went out to \(url)")
    }

    @Test(arguments: local)
    func toThisMachineItIs(_ url: String) async throws {
        let transport = CountingTransport()
        let client = DeepSearchClient(configuration: .init(baseURL: url, token: "xtk_secret_0123456789"), transport: transport)
        _ = try await client.listTasks()
        #expect(transport.count == 1, "\(url)")
    }

    @Test func theProxyIsBypassedForThisMachineOnly() throws {
        let proxy = try ProxyServer(url: "http://proxy.example:3128", origin: "HTTP_PROXY")
        let network = NetworkConfiguration(httpsProxy: proxy, httpProxy: proxy)
        for url in Self.local { #expect(network.proxy(for: url) == nil, "\(url) goes direct") }
        for url in Self.remote { #expect(network.proxy(for: url) == proxy, "\(url) goes through the proxy") }
    }
}

/// Answers every request with an empty list, counting them.
final class CountingTransport: HTTPTransport {
    private let sent = Atomic<Int>(0)
    var count: Int { sent.load(ordering: .relaxed) }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        sent.add(1, ordering: .relaxed)
        return HTTPResponse(status: 200, body: Array("[]".utf8))
    }

    func shutdown() async {}
}
