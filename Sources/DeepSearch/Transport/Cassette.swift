import FoundationEssentials
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// One recorded HTTP exchange: a line of a cassette (JSON Lines). The `Authorization` header is
/// stored as `Bearer …`; the token itself is never written.
public struct CassetteExchange: Sendable, Hashable {
    public var method: String
    public var path: String
    public var query: String
    public var requestBody: String?
    public var status: Int
    public var responseHeaders: [HeaderField]
    public var responseBody: String
    /// When the exchange started (ISO 8601) and how long it took.
    public var time: String
    public var milliseconds: Int
    public var authorization: String?

    /// The exchange as one JSON line.
    public var json: JSONValue {
        var o: JSONObject = [
            "method": .string(method), "path": .string(path), "query": .string(query),
            "request_headers": .object(authorization.map { ["Authorization": .string($0)] } ?? [:]),
            "request_body": requestBody.map(JSONValue.string) ?? .null,
            "status": .int(status),
        ]
        o["response_headers"] = .object(JSONObject(responseHeaders.map { JSONMember($0.name, .string($0.value)) }))
        o["response_body"] = .string(responseBody)
        o["time"] = .string(time)
        o["ms"] = .int(milliseconds)
        return .object(o)
    }

    /// Reads one line of a cassette.
    public init(json: JSONValue) throws {
        guard let method = json["method"]?.stringValue, let path = json["path"]?.stringValue,
            let status = json["status"]?.intValue
        else { throw DeepSearchError(.replayMismatch, "a cassette line lacks method, path or status") }
        self.method = method
        self.path = path
        self.query = json["query"]?.stringValue ?? ""
        self.requestBody = json["request_body"]?.stringValue
        self.status = status
        self.responseHeaders = (json["response_headers"]?.objectValue?.members ?? []).compactMap { m in
            m.value.stringValue.map { HeaderField(m.key, $0) }
        }
        self.responseBody = json["response_body"]?.stringValue ?? ""
        self.time = json["time"]?.stringValue ?? ""
        self.milliseconds = json["ms"]?.intValue ?? 0
        self.authorization = json["request_headers"]?["Authorization"]?.stringValue
    }

    init(request: HTTPRequest, response: HTTPResponse, started: Date, milliseconds: Int) {
        method = request.method
        path = request.path
        query = request.queryText
        requestBody = request.body.map { String(decoding: $0, as: UTF8.self) }
        status = response.status
        responseHeaders = response.headers.filter { ["content-type", "retry-after"].contains($0.name.lowercased()) }
        responseBody = String(decoding: response.body, as: UTF8.self)
        time = Timestamp.format(started)
        self.milliseconds = milliseconds
        authorization = request.header("Authorization") == nil ? nil : "Bearer …"
    }

    /// Replaces `secret` wherever it appears (path, query, bodies, headers), as written or
    /// percent-encoded, with `…`.
    mutating func redact(_ secret: String) {
        for form in Set([secret, URLEncoding.encode(secret)]) {
            path = Secrets.redact(path, form)
            query = Secrets.redact(query, form)
            requestBody = requestBody.map { Secrets.redact($0, form) }
            responseBody = Secrets.redact(responseBody, form)
            responseHeaders = responseHeaders.map { HeaderField($0.name, Secrets.redact($0.value, form)) }
        }
    }

    /// `GET /v1/discovery_tasks?limit=20`.
    public var summary: String { "\(method) \(path)\(query.isEmpty ? "" : "?" + query)" }
}

/// Sends through another transport and appends every exchange to a cassette file (mode 0600).
public final class CassetteRecorder: HTTPTransport {
    private let inner: any HTTPTransport
    private let path: String
    /// Held while the file is written; holds the secrets to hide besides each request's token.
    private let lock = Mutex<[String]>([])

    /// Records to `path` (created 0600 if needed, appended to otherwise).
    public init(recordingTo path: String, through inner: any HTTPTransport) throws {
        self.inner = inner
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DeepSearchError(.transport, "cannot write the cassette \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await inner.send(request, timeout: timeout, delivery: delivery)
        let elapsed = clock.now - start
        var exchange = CassetteExchange(request: request, response: response, started: started, milliseconds: Int(elapsed.milliseconds))
        if let authorization = request.header("Authorization"), authorization.hasPrefix("Bearer ") {
            exchange.redact(String(authorization.dropFirst(7)))
        }
        for secret in lock.withLock({ $0 }) { exchange.redact(secret) }
        var line = JSONWriter.compactBytes(exchange.json)
        line.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        return response
    }

    public func shutdown() async { await inner.shutdown() }

    /// Hides `secrets` (each a secret of ``Secrets/minimumLength`` or more) in every exchange
    /// recorded from now on, and in those already in the file: a value that became a secret
    /// after a request carried it.
    public func hide(_ secrets: [String]) {
        let secrets = secrets.filter { $0.count >= Secrets.minimumLength }
        guard !secrets.isEmpty else { return }
        lock.withLock { known in
            known.append(contentsOf: secrets)
            guard let data = FileManager.default.contents(atPath: path) else { return }
            let bytes = Array(data)
            var text = String(decoding: bytes, as: UTF8.self)
            for secret in secrets {
                var quoted: [UInt8] = []
                JSONWriter.writeString(secret, into: &quoted)
                let escaped = String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
                for form in Set([escaped, URLEncoding.encode(secret)]) { text = Secrets.redact(text, form) }
            }
            guard text.utf8.count != bytes.count || Array(text.utf8) != bytes else { return }
            let temporary = path + ".tmp-\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            let out = Array(text.utf8)
            var written = 0
            while written < out.count {
                let n = out[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                written += n
            }
            let failed = written < out.count || fsync(fd) != 0
            close(fd)
            if failed || rename(temporary, path) != 0 { unlink(temporary) }
        }
    }
}

/// Answers every request from a cassette, in order and once each, with no network. A request
/// that is not the next one recorded fails and says which one was expected.
public final class CassetteReplayer: HTTPTransport {
    private let exchanges: [CassetteExchange]
    private let next = Mutex(0)
    private let name: String

    /// A replayer of the cassette at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeepSearchError(.replayMismatch, "cannot read the cassette \(path)")
        }
        var exchanges: [CassetteExchange] = []
        for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
            do {
                exchanges.append(try CassetteExchange(json: try JSONParser.parse(line)))
            } catch {
                throw DeepSearchError(.replayMismatch, "the cassette \(path) line \(i + 1) is not an exchange: \(error)")
            }
        }
        self.exchanges = exchanges
        self.name = FilePath(path).lastComponent?.string ?? path
    }

    /// How many exchanges are left.
    public var remaining: Int { exchanges.count - next.withLock { $0 } }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let query = request.queryText
        let sent = "\(request.method) \(request.target)"
        let index = try next.withLock { index throws(DeepSearchError) -> Int in
            guard index < exchanges.count else {
                throw DeepSearchError(
                    .replayMismatch, "the cassette \(name) has no answer for \(sent): all \(exchanges.count) exchanges were used",
                    advice: "record it again with --record-http")
            }
            let expected = exchanges[index]
            let body = request.body.map { String(decoding: $0, as: UTF8.self) }
            guard expected.method == request.method, expected.path == request.path, expected.query == query,
                Self.sameBody(expected.requestBody, body)
            else {
                throw DeepSearchError(
                    .replayMismatch,
                    "the cassette \(name) expected \(expected.summary) (exchange \(index + 1) of \(exchanges.count)), but the shell sent \(sent)",
                    advice: "play the same commands that were recorded, or record again with --record-http")
            }
            index += 1
            return index - 1
        }
        let exchange = exchanges[index]
        return HTTPResponse(status: exchange.status, headers: exchange.responseHeaders, body: Array(exchange.responseBody.utf8))
    }

    private static func sameBody(_ a: String?, _ b: String?) -> Bool {
        let a = a.flatMap { $0.isEmpty ? nil : $0 }
        let b = b.flatMap { $0.isEmpty ? nil : $0 }
        if a == b { return true }
        guard let a, let b, let ja = try? JSONParser.parse(a), let jb = try? JSONParser.parse(b) else { return false }
        return ja == jb
    }

    public func shutdown() async {}
}
