import DeepSearch
import Foundation
import NIOPosix
import Synchronization
import TestSupport
import Testing

/// `http://` through AsyncHTTPClient, as the shell sends it (without connections opened ahead:
/// the scripted server serves one connection at a time), against a server that answers with
/// hand-written bytes: keep-alive, chunks, bodies that run to the close, stale
/// connections, garbage, cut answers, timeouts and cancellation. (The simulator covers the
/// ordinary answers, in the client and end-to-end tests.)
@Suite struct PlainHTTPTests {
    static func ok(_ body: String, _ extra: String = "") -> String {
        "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nContent-Type: application/json\r\n\(extra)\r\n\(body)"
    }

    func get(_ base: String, _ path: String = "/v1/x", headers: [HeaderField] = []) -> HTTPRequest {
        HTTPRequest(method: "GET", baseURL: base, path: path, headers: headers)
    }

    func send(_ transport: any HTTPTransport, _ request: HTTPRequest, timeout: Duration = .seconds(10)) async throws -> HTTPResponse {
        try await transport.send(request, timeout: timeout)
    }

    /// Runs `body` with the transport the shell makes, shut down whether `body` throws or not
    /// (AsyncHTTPClient traps in a debug build when a client is dropped open).
    func using<T>(_ body: (AsyncHTTPClientTransport) async throws -> T) async throws -> T {
        let transport = AsyncHTTPClientTransport()
        do {
            let value = try await body(transport)
            await transport.shutdown()
            return value
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    func failure(_ transport: any HTTPTransport, _ request: HTTPRequest, timeout: Duration = .seconds(10)) async -> DeepSearchError? {
        do {
            _ = try await send(transport, request, timeout: timeout)
            return nil
        } catch {
            return error as? DeepSearchError
        }
    }

    @Test func oneKeepAliveConnectionCarriesEveryRequest() async throws {
        let server = try ScriptedServer { request in .send(Self.ok("{\"n\": \(request.body.count)}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let first = try await send(transport, get(server.url, headers: [HeaderField("Authorization", "Bearer abc")]))
        var post = HTTPRequest(method: "POST", baseURL: server.url, path: "/v1/y", query: [QueryItem("a", "b c")], body: Array("{\"k\":1}".utf8))
        post.headers = [HeaderField("Content-Type", "application/json")]
        let second = try await send(transport, post)
        let empty = try await send(transport, HTTPRequest(method: "POST", baseURL: server.url, path: "/v1/z"))
        await transport.shutdown()
        #expect(first.status == 200 && String(decoding: first.body, as: UTF8.self) == "{\"n\": 0}")
        #expect(first.header("content-type") == "application/json")
        #expect(String(decoding: second.body, as: UTF8.self) == "{\"n\": 7}")
        #expect(String(decoding: empty.body, as: UTF8.self) == "{\"n\": 0}")
        #expect(server.connectionCount == 1)
        let heads = server.requests.map { $0.head.split(separator: "\r\n").map(String.init) }
        #expect(heads[0].first == "GET /v1/x HTTP/1.1")
        #expect(Set(heads[0].dropFirst()) == ["Authorization: Bearer abc", "host: 127.0.0.1:\(server.port)"])
        #expect(heads[1].first == "POST /v1/y?a=b%20c HTTP/1.1")
        #expect(Set(heads[1].dropFirst()) == ["Content-Type: application/json", "host: 127.0.0.1:\(server.port)", "Content-Length: 7"])
        #expect(heads[2].contains("Content-Length: 0"), "a POST without a body still says its length")
    }

    /// On a thread of its own: the times measured here must not include waits for the shared
    /// concurrency pool, which the rest of the suite keeps busy.
    /// The exchange runs on the event loop of its connections; the caller goes on where it was,
    /// not on that loop, whatever its isolation (here none): work done after an answer must never
    /// hold up the loop's other connections.
    @Test func theCallerGoesOnOffTheEventLoop() async throws {
        let server = try ScriptedServer { _ in .send(Self.ok("{}")) }
        defer { server.stop() }
        try await using { transport in
            for _ in 0..<3 {
                _ = try await send(transport, get(server.url))
                #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil, "the caller went on on an event loop")
            }
        }
    }

    @Test func theDefaultTransportSendsHTTPPlainAndHTTPSThroughTLS() async throws {
        try await ThreadExecutor.run { try await defaultTransportSendsHTTPPlainAndHTTPSThroughTLS() }
    }

    func defaultTransportSendsHTTPPlainAndHTTPSThroughTLS() async throws {
        // The server closes after its answer, so it goes on to accept the next connection.
        let server = try ScriptedServer { _ in .sendAndClose(Self.ok("{}")) }
        defer { server.stop() }
        let transport = DefaultTransport()
        let plain = try await transport.send(get(server.url), timeout: .seconds(10))
        #expect(plain.status == 200)
        // The same server over https: a TLS client hello that a plain HTTP server never answers.
        let secure = get("https://127.0.0.1:\(server.port)")
        var failure: (any Error)?
        do { _ = try await transport.send(secure, timeout: .milliseconds(500)) } catch { failure = error }
        let closing = ContinuousClock.now
        await transport.shutdown()
        // Waiting for the handshake's 10 s connect timeout would take 9.5 s from here (the request
        // gave up after 0.5 s); the shutdown gives up after 1 s, timed on the transport's event
        // loop, which a machine busy with the whole suite can stretch to a few.
        #expect(ContinuousClock.now - closing < .seconds(9), "shutting down does not wait for the handshake's 10 s connect timeout")
        #expect((failure as? DeepSearchError).map { [.timeout, .transport].contains($0.code) } == true, "\(String(describing: failure))")
        // Sent through TLS, not refused as a URL that cannot be used.
        #expect(failure.map { !"\($0)".contains("is not valid") } == true, "\(String(describing: failure))")
        try await waitUntil("the TLS client connected") { server.connectionCount >= 2 }
        #expect(server.requests.count == 1, "only the http:// request was read as HTTP")
    }

    @Test func aPathInTheBaseURLPrefixesEveryRequest() async throws {
        let server = try ScriptedServer { _ in .send(Self.ok("{}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        _ = try await send(transport, get(server.url + "/api", "/v1/discovery_tasks"))
        await transport.shutdown()
        #expect(server.requests.first?.head.hasPrefix("GET /api/v1/discovery_tasks HTTP/1.1\r\n") == true)
    }

    @Test func chunkedAnswersAreJoinedAndTheConnectionIsKept() async throws {
        let chunked =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\nB\r\n: [1, 2, 3]\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n"
        let server = try ScriptedServer { _ in .send(chunked) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let first = try await send(transport, get(server.url))
        let second = try await send(transport, get(server.url))
        await transport.shutdown()
        #expect(String(decoding: first.body, as: UTF8.self) == "{\"a\": [1, 2, 3]}")
        #expect(second.body == first.body)
        #expect(server.connectionCount == 1)
    }

    @Test func anAnswerWithoutALengthRunsToTheCloseAndTheNextRequestReconnects() async throws {
        let server = try ScriptedServer { _ in .sendAndClose("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"to\": \"the end\"}") }
        defer { server.stop() }
        let (first, second) = try await using { transport in (try await send(transport, get(server.url)), try await send(transport, get(server.url)))
        }
        #expect(String(decoding: first.body, as: UTF8.self) == "{\"to\": \"the end\"}")
        #expect(second.body == first.body)
        #expect(server.connectionCount == 2)
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplacedNotFailed() async throws {
        // The answer says nothing of closing; the server closes anyway, as an idle timeout does.
        let server = try ScriptedServer { _ in .sendAndClose(Self.ok("{}")) }
        defer { server.stop() }
        let second = try await using { transport in
            _ = try await send(transport, get(server.url))
            try await waitUntil("the server closed the connection") { server.closedCount >= 1 }
            return try await send(transport, get(server.url))
        }
        #expect(second.status == 200)
        #expect(server.connectionCount == 2)
    }

    /// The server closes the kept-alive connection as the next request goes out: neither is sent
    /// twice by the transport (the client's retry policy retries a GET, never a POST).
    @Test(arguments: ["GET", "POST"])
    func aConnectionClosedAsTheRequestLeavesIsRetriedOnlyForAGet(_ method: String) async throws {
        let server = try ScriptedServer { request in
            request.connection == 0 && !request.head.hasPrefix("GET /first") ? .sendAndClose("") : .send(Self.ok("{}"))
        }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        _ = try await send(transport, get(server.url, "/first"))
        var request = get(server.url, "/second")
        request.method = method
        do {
            let response = try await send(transport, request)
            #expect(response.status == 200)
        } catch let error as DeepSearchError {
            #expect(error.code == .transport, "\(error)")
        }
        #expect(server.requests.filter { $0.head.hasPrefix("\(method) /second") }.count <= 1, "sent once at most")
        await transport.shutdown()
    }

    @Test func informationalAnswersAreSkipped() async throws {
        let server = try ScriptedServer { _ in .send("HTTP/1.1 100 Continue\r\n\r\n" + Self.ok("{\"ok\": true}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let response = try await send(transport, get(server.url))
        await transport.shutdown()
        #expect(response.status == 200 && String(decoding: response.body, as: UTF8.self) == "{\"ok\": true}")
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH_9.2\r\n\r\n", "the answer is not HTTP/1.1"),
        ("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "the answer is not HTTP/1.1: its Content-Length is not a length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "the answer is not HTTP/1.1: a chunk size is not hexadecimal"),
        // Both framings at once (RFC 9112 §6.1: a request smuggling sign): refused, not read.
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "the answer is not HTTP/1.1"),
    ])
    func anAnswerThatIsNotHTTPSaysWhat(_ answer: String, _ says: String) async throws {
        let server = try ScriptedServer { _ in .sendAndClose(answer) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let error = await failure(transport, get(server.url))
        await transport.shutdown()
        #expect(error?.code == .transport)
        #expect(error?.description.contains(says) == true, "\(error?.description ?? "no error")")
        #expect(error?.description.hasPrefix("GET \(server.url)/v1/x failed:") == true)
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"a\"",
        "HTTP/1.1 200 OK\r\nContent-",
        "",
    ])
    func anAnswerCutShortIsAnErrorNotAShortBody(_ answer: String) async throws {
        let server = try ScriptedServer { _ in .sendAndClose(answer) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let error = await failure(transport, get(server.url))
        await transport.shutdown()
        #expect(error?.description == "the connection to \(server.url) closed before the answer to GET \(server.url)/v1/x was complete")
    }

    @Test func aHeaderWithALineBreakIsRefusedAndNothingIsSent() async throws {
        let server = try ScriptedServer { _ in .send(Self.ok("{}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let error = await failure(transport, get(server.url, headers: [HeaderField("Authorization", "Bearer x\r\nX-Injected: 1")]))
        let later = try await send(transport, get(server.url))
        await transport.shutdown()
        #expect(error?.code == .invalidArgument)
        #expect(server.requests.count == 1 && !server.requests[0].head.contains("X-Injected"))
        #expect(later.status == 200)
    }

    @Test(arguments: [
        ("http://127.0.0.1:1", true), ("HTTP://Localhost", true), ("Http://x/y", true), ("https://api.extruct.ai", false),
        ("http:/x", false), ("http", false), ("", false), ("ftp://x", false), ("\u{1A}ttp://x", false),
    ])
    func plainHTTPIsTheSchemeInAnyCase(_ base: String, _ plain: Bool) {
        #expect(HTTPRequest.isPlainHTTP(base) == plain)
    }

    @Test(arguments: [
        "http://user@127.0.0.1:1", "https://user:pw@127.0.0.1:1", "ftp://127.0.0.1:1", "http://127.0.0.1:0", "http://127.0.0.1:70000", "http://",
        "http://[::1",
    ])
    func aBaseURLItCannotUseIsAnInvalidURL(_ base: String) async throws {
        let transport = AsyncHTTPClientTransport()
        let error = await failure(transport, get(base))
        await transport.shutdown()
        #expect(error?.description.hasPrefix("the API URL \(base) is not valid") == true, "\(error?.description ?? "no error")")
    }

    @Test func aServerThatDoesNotAnswerTimesOutAndTheNextRequestWorks() async throws {
        try await ThreadExecutor.run { try await serverThatDoesNotAnswerTimesOutAndTheNextRequestWorks() }
    }

    func serverThatDoesNotAnswerTimesOutAndTheNextRequestWorks() async throws {
        let answered = Atomic<Int>(0)
        let server = try ScriptedServer { _ in answered.add(1, ordering: .relaxed).oldValue == 0 ? .hang : .send(Self.ok("{}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let started = ContinuousClock.now
        let error = await failure(transport, get(server.url), timeout: .milliseconds(200))
        #expect(error?.code == .timeout)
        #expect(
            error?.description
                == "no answer to GET \(server.url)/v1/x within 0.2 s; check the network or the proxy; to wait longer: set timeout 60, or --timeout 60 at start"
        )
        #expect(ContinuousClock.now - started < .seconds(5))
        let next = try await send(transport, get(server.url))
        await transport.shutdown()
        #expect(next.status == 200)
    }

    /// On a thread of its own, the request's task too (see above).
    @Test func cancellingTheCallingTaskEndsTheWaitAtOnce() async throws {
        let executor = ThreadExecutor()
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) { try await cancellingTheCallingTaskEndsTheWait(executor) }
    }

    func cancellingTheCallingTaskEndsTheWait(_ executor: ThreadExecutor) async throws {
        let answered = Atomic<Int>(0)
        let server = try ScriptedServer { _ in answered.add(1, ordering: .relaxed).oldValue == 0 ? .hang : .send(Self.ok("{}")) }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport()
        let request = get(server.url)
        let started = ContinuousClock.now
        let task = Task(executorPreference: executor) { try await transport.send(request, timeout: .seconds(60)) }
        try await waitUntil("the request reached the server") { !server.requests.isEmpty }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(10), "long before the 60 s timeout")
        let next = try await send(transport, get(server.url))
        await transport.shutdown()
        #expect(next.status == 200, "a cancellation left behind does not cancel the next request")
    }
}
