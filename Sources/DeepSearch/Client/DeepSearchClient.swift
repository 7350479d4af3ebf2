import FoundationEssentials
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The Deep Search API: list, create, get, results and resume, and any endpoint of
/// ``APIEndpoint`` through ``send(_:_:query:body:)``, with checks before sending, lenient
/// decoding, retries of GETs and one error type.
public struct DeepSearchClient: Sendable {
    /// Where and as whom the client talks.
    public struct Configuration: Sendable {
        /// The API base URL, e.g. `https://api.extruct.ai`.
        public var baseURL: String
        public var token: String?
        /// Where the token came from (`--token`, `EXTRUCT_API_TOKEN`, a profile…), for error messages.
        public var tokenOrigin: String
        public var userAgent: String
        public var requestTimeout: Duration
        public var retryPolicy: RetryPolicy
        /// Send the token over plain http to a host that is not loopback.
        public var allowInsecureHTTP: Bool

        /// A configuration with these parts; the base URL loses any trailing slash.
        public init(
            baseURL: String, token: String?, tokenOrigin: String = "the configuration", userAgent: String = "extruct-shell",
            requestTimeout: Duration = .seconds(30), retryPolicy: RetryPolicy = .standard, allowInsecureHTTP: Bool = false
        ) {
            var url = baseURL
            while url.hasSuffix("/") { url.removeLast() }
            self.baseURL = url
            self.token = token
            self.tokenOrigin = tokenOrigin
            self.userAgent = userAgent
            self.requestTimeout = requestTimeout
            self.retryPolicy = retryPolicy
            self.allowInsecureHTTP = allowInsecureHTTP
        }
    }

    /// A decoded answer with the raw JSON it came from.
    public struct Response<Value: Sendable>: Sendable {
        public var value: Value
        /// The body as received.
        public var raw: JSONValue
        public var status: Int
    }

    /// One request: an ``APIEndpoint`` and the task its path names, or a raw request. Its
    /// endpoint decides retries, whether it spends credits and the wording of errors.
    public struct Operation: Sendable, Hashable {
        /// The endpoint; nil for ``raw(method:)``.
        public var endpoint: APIEndpoint?
        public var method: String
        /// The task the path names (`{task_id}`), if any.
        public var taskID: String?

        /// `endpoint` with its path's `parameters`.
        public init(_ endpoint: APIEndpoint, _ parameters: [String] = []) {
            self.endpoint = endpoint
            self.method = endpoint.method
            self.taskID = endpoint.subject == .task ? parameters.first : nil
        }

        private init(rawMethod: String) {
            endpoint = nil
            method = rawMethod
        }

        public static let listTasks = Operation(.listTasks)
        public static let createTask = Operation(.createTask)
        public static func getTask(_ id: String) -> Operation { Operation(.getTask, [id]) }
        public static func results(_ id: String) -> Operation { Operation(.results, [id]) }
        public static func resume(_ id: String) -> Operation { Operation(.resume, [id]) }
        /// Any request (`raw`): retried if GET or HEAD, taken to spend credits if POST.
        public static func raw(method: String) -> Operation { Operation(rawMethod: method) }

        var isIdempotent: Bool { endpoint?.isIdempotent ?? (method == "GET" || method == "HEAD") }

        /// Whether a failure after sending leaves it unknown whether credits were spent.
        var spends: Bool { endpoint?.spendsCredits ?? (method == "POST") }

        /// Whether it is sent with the token.
        var sendsToken: Bool { endpoint?.needsToken ?? true }
    }

    public let configuration: Configuration
    private let transport: any HTTPTransport
    private let clock: any PollingClock
    private let logger: Logger

    /// A client sending through `transport`, waiting on `clock`, logging at debug level to `logger`.
    public init(
        configuration: Configuration, transport: any HTTPTransport, clock: any PollingClock = SystemPollingClock(),
        logger: Logger = Logger(label: "extruct.deepsearch")
    ) {
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// The same client with another configuration (token, URL, timeout…), sharing the transport.
    public func with(_ change: (inout Configuration) -> Void) -> DeepSearchClient {
        var configuration = self.configuration
        change(&configuration)
        return DeepSearchClient(configuration: configuration, transport: transport, clock: clock, logger: logger)
    }

    // MARK: Endpoints

    /// `GET /v1/discovery_tasks`: one page of tasks, newest first.
    public func listTasks(_ page: PageRequest = PageRequest(limit: 20)) async throws -> Response<[DiscoveryTask]> {
        try page.validate()
        return try await send(.listTasks, query: page.query)
    }

    /// `POST /v1/discovery_tasks`: starts a task. Never retried.
    public func createTask(_ request: CreateTaskRequest) async throws -> Response<DiscoveryTask> {
        try request.validate()
        return try await send(.createTask, body: request.json)
    }

    /// `GET /v1/discovery_tasks/{id}`.
    public func task(id: String) async throws -> Response<DiscoveryTask> {
        try Self.validate(id: id)
        return try await send(.getTask, [id])
    }

    /// `GET /v1/discovery_tasks/{id}/results`: one page, by relevance, highest first.
    public func results(id: String, page: PageRequest = PageRequest(limit: 50)) async throws -> Response<TaskResultsPage> {
        try Self.validate(id: id)
        try page.validate()
        return try await send(.results, [id], query: page.query)
    }

    /// Every result of task `id`, in pages of `pageSize`, until one comes back short.
    ///
    /// Over a transport that takes concurrent requests (AsyncHTTPClient: the real API), the
    /// pages whose offsets are known go out together, at most `concurrencyLimit` at a time, and
    /// are put back in order: with `knownTotal` (the task's `num_results`, say from `use`) every
    /// page at once, including the one just past the end that tells it ended; without, the first
    /// page, then the rest it tells of. Each GET is retried on its own; if one fails, the whole
    /// call fails. Pages found full after that are read one by one (a running task grows).
    /// `progress` hears the number of rows read so far as pages arrive.
    public func allResults(
        id: String, pageSize: Int = 50, knownTotal: Int? = nil, progress: @Sendable (Int) async -> Void = { _ in }
    ) async throws -> Response<TaskResultsPage> {
        try Self.validate(id: id)
        try PageRequest(limit: pageSize).validate()
        let parallel = transport.concurrencyLimit(for: configuration.baseURL)
        var pages: [Response<TaskResultsPage>] = []
        var rows = 0
        func add(_ batch: [Response<TaskResultsPage>]) async {
            for page in batch {
                pages.append(page)
                rows += page.value.results.count
            }
            await progress(rows)
        }
        if parallel > 1 {
            var offsets: [Int]
            // A count from the API may be anything: no more pages are asked for at once than a
            // task can hold (the 250 cap); past that, should there be more, the one-at-a-time
            // loop below reads on until a short page.
            if let knownTotal {
                offsets = Array(stride(from: 0, through: min(max(0, knownTotal), DiscoveryTask.resultCap), by: pageSize))
            } else {
                let first = try await results(id: id, page: PageRequest(offset: 0, limit: pageSize))
                await add([first])
                offsets =
                    first.value.results.count < pageSize
                    ? [] : Array(stride(from: pageSize, through: min(first.value.task.numResults, DiscoveryTask.resultCap), by: pageSize))
            }
            if !offsets.isEmpty { try await add(pagesAtOnce(id: id, offsets: offsets, pageSize: pageSize, parallel: parallel)) }
        }
        // One page at a time from where the known pages stopped, until a short page.
        while pages.isEmpty || (pages.last!.value.results.count == pageSize && rows < Self.mostResultsRead) {
            await add([try await results(id: id, page: PageRequest(offset: rows, limit: pageSize))])
        }
        let last = pages.last!
        var raw = last.raw.objectValue ?? [:]
        raw["results"] = .array(pages.flatMap { $0.raw["results"]?.arrayValue ?? [] })
        return Response(
            value: TaskResultsPage(task: last.value.task, results: pages.flatMap(\.value.results)), raw: .object(raw), status: last.status)
    }

    /// The most rows ``allResults(id:pageSize:knownTotal:progress:)`` reads (a task holds 250).
    static let mostResultsRead = 100_000

    /// The pages at `offsets`, fetched at most `parallel` at a time, in the order of `offsets`.
    private func pagesAtOnce(id: String, offsets: [Int], pageSize: Int, parallel: Int) async throws -> [Response<TaskResultsPage>] {
        try await withThrowingTaskGroup(of: (Int, Response<TaskResultsPage>).self) { group in
            var found: [Int: Response<TaskResultsPage>] = [:]
            var next = offsets.makeIterator()
            func start() {
                guard let offset = next.next() else { return }
                group.addTask { (offset, try await self.results(id: id, page: PageRequest(offset: offset, limit: pageSize))) }
            }
            for _ in 0..<parallel { start() }
            while let (offset, page) = try await group.next() {
                found[offset] = page
                start()
            }
            return offsets.compactMap { found[$0] }
        }
    }

    /// `POST /v1/discovery_tasks/{id}/resume`: asks for `desiredNewResults` more (0…250; nil
    /// sends no body, and the server uses 25). Never retried.
    public func resume(id: String, desiredNewResults: Int?) async throws -> Response<DiscoveryTask> {
        try Self.validate(id: id)
        if let n = desiredNewResults, !(0...DiscoveryTask.resultCap).contains(n) {
            throw DeepSearchError.invalidArgument("desired_new_results must be between 0 and 250 (got \(n))")
        }
        let body: JSONValue? = desiredNewResults.map { .object(["desired_new_results": .int($0)]) }
        do {
            return try await send(.resume, [id], body: body ?? .object([:]))
        } catch let refused as DeepSearchError where refused.status == 400 {
            // The API says why only in words; the task says it in fields (a GET is safe to send).
            guard let task = try? await task(id: id) else { throw refused }
            throw DeepSearchError.resumeRefused(refused, task: task.value)
        }
    }

    /// Any request, for exploring: `target` is a path with an optional query (`/v1/discovery_tasks?limit=2`).
    public func raw(method: String, target: String, body: JSONValue? = nil) async throws -> Response<JSONValue> {
        let method = method.uppercased()
        guard method.allSatisfy({ $0.isLetter }), !method.isEmpty else {
            throw DeepSearchError.invalidArgument("'\(method)' is not an HTTP method")
        }
        var target = target.hasPrefix("/") ? target : "/" + target
        var query: [QueryItem] = []
        if let mark = target.firstIndex(of: "?") {
            for pair in target[target.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = URLEncoding.decode(String(parts[0]), plusIsSpace: true) ?? String(parts[0])
                let value = parts.count > 1 ? URLEncoding.decode(String(parts[1]), plusIsSpace: true) ?? String(parts[1]) : ""
                query.append(QueryItem(name, value))
            }
            target = String(target[..<mark])
        }
        return try await exchange(.raw(method: method), target, query: query.map { ($0.name, $0.value) }, body: body) { json in json }
    }

    /// Polls task `id` every `interval` until its status is `done` or `failed` (not on
    /// `is_exhausted` alone), or until `enough` holds for a state, telling `onUpdate` each
    /// state; throws `.watchTimeout` when `timeout` has passed, on time: the last poll may take
    /// only what is left of it.
    public func watch(
        id: String, interval: Duration, timeout: Duration?, onUpdate: @Sendable (Response<DiscoveryTask>) async -> Void = { _ in },
        until enough: @Sendable (DiscoveryTask) -> Bool = { _ in false }
    ) async throws -> Response<DiscoveryTask> {
        let started = clock.now
        var last: DiscoveryTask?
        func outOfTime() -> DeepSearchError {
            let limit = timeout ?? .zero
            // What watch --timeout and watch_timeout take: at most a day.
            let longest: Int64 = 86_400
            let longer = limit < .seconds(600) ? 600 : min(longest, limit.components.seconds * 2)
            let state = last.map { "still \($0.status.rawValue)" } ?? "not answered"
            let wait = longer > limit.components.seconds ? "to wait longer: watch --timeout \(longer) (or set watch_timeout \(longer)); or " : ""
            return DeepSearchError(
                .watchTimeout, "task \(Self.short(id)) is \(state) after \(Self.format(limit))", advice: wait + "check later with status")
        }
        while true {
            var poller = self
            if let timeout {
                let left = timeout - (clock.now - started)
                guard left > .zero else { throw outOfTime() }
                // The last poll takes only what is left, and is not tried again past it.
                if left < configuration.requestTimeout {
                    poller = with {
                        $0.requestTimeout = left
                        $0.retryPolicy = .none
                    }
                }
            }
            let response: Response<DiscoveryTask>
            do {
                response = try await poller.task(id: id)
            } catch let error as DeepSearchError where error.code == .timeout && poller.configuration.requestTimeout < configuration.requestTimeout {
                throw outOfTime()
            }
            last = response.value
            await onUpdate(response)
            if response.value.status.isTerminal || enough(response.value) { return response }
            var wait = interval
            if let timeout {
                let left = timeout - (clock.now - started)
                guard left > .zero else { throw outOfTime() }
                wait = min(interval, left)
            }
            try await clock.sleep(for: wait)
        }
    }

    // MARK: Sending

    /// Builds the request as it would be sent, for dry runs and logging; the token is included
    /// unless `withToken` is false (an endpoint that needs none).
    public func makeRequest(
        method: String, path: String, query: [(String, String)] = [], body: JSONValue? = nil, withToken: Bool = true
    ) -> HTTPRequest {
        var headers = [
            HeaderField("User-Agent", configuration.userAgent),
            HeaderField("Accept", "application/json"),
        ]
        if withToken, let token = configuration.token { headers.append(HeaderField("Authorization", "Bearer \(token)")) }
        var bytes: [UInt8]?
        if let body {
            headers.append(HeaderField("Content-Type", "application/json"))
            bytes = JSONWriter.compactBytes(body)
        }
        return HTTPRequest(
            method: method, baseURL: configuration.baseURL, path: path,
            query: query.map { QueryItem($0.0, $0.1) }, headers: headers, body: bytes)
    }

    /// Sends `call` with its path's `parameters` (`.user`, `.getTask` with a task id…) and
    /// reads the answer as the call says: how any endpoint is sent, as its description
    /// (``APIEndpoint``) says — with the token or without, retried or never.
    public func send<Value: Sendable>(
        _ call: Call<Value>, _ parameters: [String] = [], query: [(String, String)] = [], body: JSONValue? = nil
    ) async throws -> Response<Value> {
        let names = call.endpoint.parameterNames
        guard parameters.count == names.count, !parameters.contains(where: \.isEmpty) else {
            throw DeepSearchError.invalidArgument(
                "\(call.endpoint) takes \(names.map { "a non-empty \($0)" }.joined(separator: ", ")) (got \(parameters.count))")
        }
        return try await exchange(
            Operation(call.endpoint, parameters), call.endpoint.path(parameters), query: query, body: body, decode: call.decode)
    }

    private func exchange<Value: Sendable>(
        _ operation: Operation, _ path: String, query: [(String, String)], body: JSONValue?,
        decode: (JSONValue) throws(ResponseShapeError) -> Value
    ) async throws -> Response<Value> {
        do {
            return try await sendChecked(operation, path, query: query, body: body, decode: decode)
        } catch let error as DeepSearchError {
            throw error.redacting(configuration.token)
        }
    }

    private func sendChecked<Value: Sendable>(
        _ operation: Operation, _ path: String, query: [(String, String)], body: JSONValue?,
        decode: (JSONValue) throws(ResponseShapeError) -> Value
    ) async throws -> Response<Value> {
        let method = operation.method
        if operation.sendsToken { try checkTransportSecurity() }
        let request = makeRequest(method: method, path: path, query: query, body: body, withToken: operation.sendsToken)
        let response = try await perform(request, operation: operation)
        guard (200..<300).contains(response.status) else {
            var error = DeepSearchError(response: response, request: request, operation: operation, tokenOrigin: configuration.tokenOrigin)
            if operation.spends { error.spending = .answered }
            throw error
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(response.body)
        } catch {
            var malformed = DeepSearchError(
                .malformedResponse,
                "the answer to \(method) \(request.target) is not valid JSON: \(error)",
                advice: operation.spends
                    ? DeepSearchError.checkBeforeTryingAgain(operation) : "try again; if it persists, run with --debug and report it",
                status: response.status)
            if operation.spends { malformed.spending = .answered }
            throw malformed
        }
        do {
            return Response(value: try decode(json), raw: json, status: response.status)
        } catch {
            // A create or resume answered with a body of the wrong shape took effect all the same.
            var malformed = DeepSearchError(
                .malformedResponse, "the answer to \(method) \(request.target) is not the expected shape: \(error)",
                advice: operation.spends
                    ? DeepSearchError.checkBeforeTryingAgain(operation) : "try again; if it persists, run with --debug and report it",
                status: response.status, body: json)
            if operation.spends { malformed.spending = .answered }
            throw malformed
        }
    }

    /// Sends `request`, retrying idempotent ones after transient failures within the policy.
    private func perform(_ request: HTTPRequest, operation: Operation) async throws -> HTTPResponse {
        let policy = operation.isIdempotent ? configuration.retryPolicy : .none
        var attempt = 1
        var waited: Duration = .zero
        while true {
            try Task.checkCancellation()
            let started = clock.now
            logger.debug(
                "→ \(request.method) \(redacted(request.url))",
                metadata: ["authorization": configuration.token == nil ? "none" : "Bearer …", "attempt": "\(attempt)"])
            let wait: Duration
            let delivery = RequestDelivery()
            do {
                let response = try await transport.send(request, timeout: configuration.requestTimeout, delivery: delivery)
                logger.debug(
                    "← \(response.status) \(request.method) \(redacted(request.url))",
                    metadata: ["ms": "\((clock.now - started).milliseconds)", "bytes": "\(response.body.count)"])
                guard attempt < policy.maxAttempts, RetryPolicy.isTransient(status: response.status) else { return response }
                if let seconds = Self.retryAfter(response) {
                    wait = .seconds(seconds)
                } else if response.status == 429 {
                    wait = max(policy.rateLimitWait, policy.backoff(afterAttempt: attempt))
                } else {
                    wait = policy.backoff(afterAttempt: attempt)
                }
                if waited + wait > policy.maxTotalWait { return response }
            } catch let error as DeepSearchError {
                logger.debug("✗ \(request.method) \(redacted(request.url)): \(redacted(error.message))")
                if operation.spends { throw Self.outcome(of: error, operation, delivery) }
                guard attempt < policy.maxAttempts, error.code == .transport else { throw error }
                wait = policy.backoff(afterAttempt: attempt)
                if waited + wait > policy.maxTotalWait { throw error }
            } catch is CancellationError where operation.spends && delivery.wasWritten {
                throw DeepSearchError.interrupted(operation)
            }
            logger.debug("retrying \(request.method) \(redacted(request.url)) in \(wait.milliseconds) ms")
            try await clock.sleep(for: wait)
            waited += wait
            attempt += 1
        }
    }

    /// A failure of `operation`, which spends credits and is never retried, with what became of
    /// it: an answer came (it has a status), or none did and the request was written, or not.
    private static func outcome(of error: DeepSearchError, _ operation: Operation, _ delivery: RequestDelivery) -> DeepSearchError {
        if error.code == .notSent || error.code == .replayMismatch || error.code == .invalidArgument { return error }
        if let status = error.status {
            // An answer came; a success whose body could not be read (too large) took effect unseen.
            var answered = error.spending(operation, .answered)
            if (200..<300).contains(status) { answered.advice = DeepSearchError.checkBeforeTryingAgain(operation) }
            return answered
        }
        return error.spending(operation, delivery.wasWritten ? .sentWithoutAnswer : .notSent)
    }

    /// `text` with the token, wherever it appears, shown as `…`.
    private func redacted(_ text: String) -> String {
        Secrets.redact(text, configuration.token)
    }

    private static func retryAfter(_ response: HTTPResponse) -> Int? {
        guard let value = response.header("Retry-After")?.trimmingSpaces, let seconds = Int(value), seconds >= 0 else {
            return nil
        }
        return min(seconds, 3600)
    }

    /// Refuses to put the token on the wire in clear text, except to this machine (as
    /// ``URLParts/isLoopback`` defines it, by parsing the address).
    private func checkTransportSecurity() throws {
        guard configuration.token != nil, !configuration.allowInsecureHTTP else { return }
        guard HTTPRequest.isPlainHTTP(configuration.baseURL) else { return }
        let url = URLParts(configuration.baseURL)
        if url?.isLoopback == true { return }
        let host = url.map { URLParts.bracketed($0.host) } ?? "an address that cannot be read"
        throw DeepSearchError(
            .insecureTransport, "refusing to send the token to \(host.withoutControlCharacters) over plain http",
            advice: "use an https:// URL, or pass --allow-insecure-http if you really mean it")
    }

    private static func validate(id: String) throws {
        if id.isEmpty { throw DeepSearchError.invalidArgument("a task id must not be empty") }
    }

    /// The first 8 characters of a task id, as the shell shows it.
    public static func short(_ id: String) -> String { String(id.prefix(8)) }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60) min" }
        if seconds < 10, duration.components.attoseconds != 0 { return TransportFailure.seconds(duration) }
        return "\(seconds) s"
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
