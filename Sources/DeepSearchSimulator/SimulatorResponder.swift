import DeepSearchCore
import FoundationEssentials
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
import Glibc
#endif

/// Routes every request: the API's endpoints as `APIEndpoint.all` describes them, the control
/// endpoints under `/_sim/`, FastAPI-style 404 and 405 answers for everything else.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: TaskStore
    let injector: FaultInjector
    let journal: RequestJournal
    let configuration: SimulatorConfiguration
    let tokens: Set<String>

    init(store: TaskStore, injector: FaultInjector, journal: RequestJournal, configuration: SimulatorConfiguration) {
        self.store = store
        self.injector = injector
        self.journal = journal
        self.configuration = configuration
        self.tokens = Set(configuration.tokens)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        if path.hasPrefix("/_sim/") || path == "/_sim" {
            return response(await control(request, path: path, method: method))
        }
        var reply: SimulatorReply
        if let spec = request.headers[.simulatorFault], let fault = try? FaultRule(spec: spec) {
            reply = await faulted(fault, request: request, path: path, method: method)
        } else {
            reply = await api(request, path: path, method: method)
        }
        if configuration.logRequests {
            Simulator.writeToStandardError("\(method) \(request.uri) → \(reply.status)\n")
        }
        journal.record(.init(method: method, path: path, query: request.uri.query ?? "", status: reply.status))
        return response(reply)
    }

    private func response(_ reply: SimulatorReply) -> Response {
        var headers: HTTPFields = [.contentType: reply.contentType]
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        guard let padding = reply.padding else {
            return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        let head = ByteBuffer(string: "{\"padding\":\"")
        let tail = ByteBuffer(string: "\"}")
        let body = ResponseBody(contentLength: head.readableBytes + padding + tail.readableBytes) { writer in
            try await writer.write(head)
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)
            var left = padding
            while left > 0 {
                let count = min(left, chunk.readableBytes)
                try await writer.write(chunk.getSlice(at: chunk.readerIndex, length: count) ?? chunk)
                left -= count
            }
            try await writer.write(tail)
            try await writer.finish(nil)
        }
        return Response(status: .init(code: reply.status), headers: headers, body: body)
    }

    // MARK: The API

    /// The API's answer: routed by the endpoints' descriptions (`APIEndpoint.all`), then each
    /// endpoint's behaviour.
    private func api(_ request: Request, path: String, method: String) async -> SimulatorReply {
        let endpoint: APIEndpoint
        let parameters: [String]
        switch APIEndpoint.route(method: method, path: path) {
        case .notFound:
            return .detail(404, "Not Found")
        case .methodNotAllowed(let allowed):
            var reply = SimulatorReply.detail(405, "Method Not Allowed")
            reply.headers.append(("Allow", allowed.joined(separator: ", ")))
            return reply
        case .endpoint(let found, let foundParameters):
            (endpoint, parameters) = (found, foundParameters)
        }
        if endpoint.needsToken, let failure = authenticate(request) { return failure }
        let id = parameters.first ?? ""
        switch endpoint.name {
        case .healthcheck:
            // Extruct's own CLI checks the API is up with an unauthenticated GET /v1/healthcheck.
            return .json(200, .object(["status": "ok"]))
        case .listTasks:
            var v = Validator()
            let (offset, limit) = page(request, &v)
            if !v.issues.isEmpty { return .validation(v.issues) }
            return await store.list(offset: offset, limit: limit)
        case .createTask:
            switch await body(request) {
            case .failure(let reply): return reply.reply
            case .success(let json): return await store.create(body: json)
            }
        case .getTask:
            return await store.get(id: id)
        case .results:
            var v = Validator()
            let (offset, limit) = page(request, &v)
            if !v.issues.isEmpty { return .validation(v.issues) }
            return await store.results(id: id, offset: offset, limit: limit)
        case .resume:
            switch await body(request) {
            case .failure(let reply): return reply.reply
            case .success(let json): return await store.resume(id: id, body: json)
            }
        case .user:
            return await store.user()
        case .billing:
            return await store.billing()
        }
    }

    private func authenticate(_ request: Request) -> SimulatorReply? {
        guard let header = request.headers[.authorization] else {
            return .detail(401, "Not authenticated")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .detail(401, "Not authenticated")
        }
        guard tokens.contains(String(parts[1]).trimmingSpacesAndNewlines) else {
            return .detail(401, "Invalid token")
        }
        return nil
    }

    private func page(_ request: Request, _ v: inout Validator) -> (Int, Int?) {
        let query = request.uri.queryParameters
        var offset = 0
        var limit: Int?
        if let text = query["offset"].map(String.init), let n = v.queryInt(text, at: ["query", "offset"], min: 0) { offset = n }
        if let text = query["limit"].map(String.init), let n = v.queryInt(text, at: ["query", "limit"], min: 1) { limit = n }
        return (offset, limit)
    }

    /// The request body as JSON: nil when empty, a 422 `json_invalid` when unreadable.
    private func body(_ request: Request) async -> Result<JSONValue?, ReplyError> {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 4 << 20)
        } catch {
            return .failure(ReplyError(.detail(413, "Request body too large")))
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(nil) }
        do {
            return .success(try JSONParser.parse(bytes))
        } catch {
            let issue = ValidationIssue(
                type: "json_invalid", loc: ["body", .int(error.offset)], msg: "JSON decode error", input: .object([:]),
                ctx: ["error": .string(error.reason)])
            return .failure(ReplyError(.validation([issue])))
        }
    }

    // MARK: Faults

    private func faulted(_ fault: FaultRule, request: Request, path: String, method: String) async -> SimulatorReply {
        switch fault.kind {
        case .latency:
            try? await Task.sleep(for: .milliseconds(fault.milliseconds ?? 1000))
            return await api(request, path: path, method: method)
        case .status:
            return .detail(fault.status ?? 500, "Simulated server failure")
        case .html:
            let status = fault.status ?? 502
            let title = "\(status) Bad Gateway"
            let page =
                "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            return SimulatorReply(status: status, body: Array(page.utf8), contentType: "text/html")
        case .rateLimit:
            var reply = SimulatorReply.detail(429, "Too many requests")
            if let seconds = fault.retryAfter { reply.headers.append(("Retry-After", String(seconds))) }
            return reply
        case .paymentRequired:
            let error = fault.error ?? "plan_required"
            return .json(
                402, .object(["detail": .object(["error": .string(error), "message": "Deep Search requires an active Pro plan or enough credits."])]))
        case .reset:
            return .detail(500, "Simulated reset")  // resets are done by FaultChannelHandler
        case .truncated:
            var reply = await api(request, path: path, method: method)
            reply.status = 200
            reply.body = Array(reply.body.prefix(max(1, reply.body.count / 2)))
            return reply
        case .invalidJSON:
            return SimulatorReply(status: 200, body: Array("{\"id\": \"oops\", \"status\": in_progress, }".utf8))
        case .emptyBody:
            return SimulatorReply(status: 200, body: [])
        case .hostile:
            var reply = await api(request, path: path, method: method)
            reply.body = (fault.data ?? .huge).transform(reply.body)
            return reply
        case .hugeBody:
            // Streamed: the head (with the length) goes out at once, as a large answer's does, and
            // a client that refuses the length at the head costs the simulator nothing more.
            return SimulatorReply(status: 200, body: [], padding: max(64, fault.bytes ?? 4 << 20))
        }
    }

    // MARK: Control

    private func control(_ request: Request, path: String, method: String) async -> SimulatorReply {
        switch (method, path) {
        case ("GET", "/_sim/health"):
            return .json(200, .object(["status": "ok", "seed": .number(String(configuration.seed)), "speed": .double(configuration.speed)]))
        case ("GET", "/_sim/requests"):
            return .json(200, journal.json)
        case ("DELETE", "/_sim/requests"):
            journal.clear()
            return .json(200, .object(["cleared": true]))
        case ("GET", "/_sim/faults"):
            return .json(200, .array(injector.rules.map(\.json)))
        case ("DELETE", "/_sim/faults"):
            injector.clear()
            return .json(200, .object(["cleared": true]))
        case ("POST", "/_sim/faults"):
            guard case .success(let json?) = await body(request) else { return .detail(400, "send a fault as JSON") }
            let rules: [JSONValue] = json.arrayValue ?? [json]
            var ids: [JSONValue] = []
            for item in rules {
                do {
                    ids.append(.int(injector.add(try FaultRule(json: item))))
                } catch {
                    return .detail(400, error.description)
                }
            }
            return .json(201, .object(["ids": .array(ids)]))
        case ("POST", "/_sim/clock/advance"):
            guard let clock = configuration.clock as? ManualClock else {
                return .detail(409, "the simulator runs on the wall clock; start it with --manual-clock to move time")
            }
            guard case .success(let json?) = await body(request), let seconds = json["seconds"]?.doubleValue, seconds.isFinite,
                (0...1e9).contains(seconds)
            else {
                return .detail(400, "send {\"seconds\": N} with 0 ≤ N ≤ 1000000000")
            }
            return .json(200, .object(["now": .string(Timestamp.format(Date(timeIntervalSince1970: clock.advance(by: seconds))))]))
        case ("GET", "/_sim/account"):
            let (available, spent) = await store.balance()
            return .json(200, .object(["available_credits": .int(available), "spent_credits": .int(spent)]))
        case ("POST", "/_sim/account"):
            guard case .success(let json?) = await body(request), let credits = json["available_credits"]?.intValue, credits >= 0 else {
                return .detail(400, "send {\"available_credits\": N} with N ≥ 0")
            }
            await store.setCredits(credits)
            let (available, spent) = await store.balance()
            return .json(200, .object(["available_credits": .int(available), "spent_credits": .int(spent)]))
        case ("GET", "/_sim/clock"):
            return .json(
                200,
                .object([
                    "now": .string(Timestamp.format(Date(timeIntervalSince1970: configuration.clock.now()))),
                    "manual": .bool(configuration.clock is ManualClock),
                ]))
        default:
            return .detail(404, "Not Found")
        }
    }
}
